import BiomechCore
import Biomechanics

/// A synthetic subject: segment lengths (metres) and mass, varied per subject.
///
/// Proportions of height follow Drillis & Contini's classic segment table, each scaled by a random
/// factor of +-5% so subjects differ in build, not only in size.
public struct Subject: Codable, Sendable {
    public var height: Double
    public var mass: Double
    public var shank: Double, thigh: Double, trunk: Double, neck: Double
    public var upperArm: Double, forearm: Double, hand: Double, foot: Double
    public var hipWidth: Double, shoulderWidth: Double, ankleHeight: Double

    public init(_ rng: inout SeededRandom) {
        let height = rng.uniform(1.55...1.95)
        self.height = height
        mass = rng.uniform(55...100)
        func part(_ fraction: Double, _ rng: inout SeededRandom) -> Double { fraction * height * rng.uniform(0.95...1.05) }
        shank = part(0.246, &rng)
        thigh = part(0.245, &rng)
        trunk = part(0.288, &rng)
        neck = part(0.10, &rng)
        upperArm = part(0.186, &rng)
        forearm = part(0.146, &rng)
        hand = part(0.075, &rng)
        foot = part(0.152, &rng)
        hipWidth = part(0.12, &rng)
        shoulderWidth = part(0.22, &rng)
        ankleHeight = part(0.039, &rng)
    }

    public var leg: Double { shank + thigh }
    public var arm: Double { upperArm + forearm }
}

/// Where the model's joints are in one frame, in a right-handed body frame, metres: y up, the
/// subject facing +z, so their left is +x. The rest of the 33 landmarks (face, hands, feet) are
/// placed from these by `landmarks()`.
struct Skeleton {
    var hip = (left: Vec3.zero, right: Vec3.zero)
    var knee = (left: Vec3.zero, right: Vec3.zero)
    var ankle = (left: Vec3.zero, right: Vec3.zero)
    var shoulder = (left: Vec3.zero, right: Vec3.zero)
    var elbow = (left: Vec3.zero, right: Vec3.zero)
    var wrist = (left: Vec3.zero, right: Vec3.zero)
    /// Foot direction (heel to toe) and how far each heel is lifted (radians of rotation about the toes).
    var footForward = Vec3(0, 0, 1)
    var heelLift = (left: 0.0, right: 0.0)
    /// Head centre and its axes: where the face looks and which way is the top of the head.
    var head = Vec3.zero
    var face = Vec3(0, 0, 1)
    var headUp = Vec3(0, 1, 0)

    /// All 33 landmarks in MediaPipe order (body frame, y up).
    func landmarks(_ s: Subject) -> [Vec3] {
        var p = [Vec3](repeating: .zero, count: Landmark.count)
        func set(_ l: Landmark, _ v: Vec3) { p[l.rawValue] = v }
        let right = unit(cross(face, headUp))   // the subject's right (-x when facing +z)
        let eyeLevel = head + headUp * 0.035 + face * 0.075
        set(.nose, head + face * 0.095)
        for (side, sign) in [(0, -1.0), (1, 1.0)] {
            let r = right * sign
            set(side == 0 ? .leftEyeInner : .rightEyeInner, eyeLevel + r * 0.015)
            set(side == 0 ? .leftEye : .rightEye, eyeLevel + r * 0.032)
            set(side == 0 ? .leftEyeOuter : .rightEyeOuter, eyeLevel + r * 0.048 - face * 0.01)
            set(side == 0 ? .leftEar : .rightEar, head + r * 0.075 - face * 0.01)
            set(side == 0 ? .mouthLeft : .mouthRight, head + face * 0.085 - headUp * 0.04 + r * 0.025)
        }
        let sides: [(Bool, Vec3, Vec3, Vec3, Vec3, Vec3, Vec3, Double)] = [
            (true, shoulder.left, elbow.left, wrist.left, hip.left, knee.left, ankle.left, heelLift.left),
            (false, shoulder.right, elbow.right, wrist.right, hip.right, knee.right, ankle.right, heelLift.right),
        ]
        for (isLeft, sh, el, wr, hp, kn, an, lift) in sides {
            func l(_ left: Landmark) -> Landmark { isLeft ? left : left.mirrored }
            set(l(.leftShoulder), sh); set(l(.leftElbow), el); set(l(.leftWrist), wr)
            set(l(.leftHip), hp); set(l(.leftKnee), kn); set(l(.leftAnkle), an)
            // Hand: continues the forearm; pinky outward, thumb inward.
            let along = unit(wr - el)
            let side = Vec3(isLeft ? 1 : -1, 0, 0)
            let outward = unit(side - along * dot(side, along))   // perpendicular, so the hand stays rigid
            set(l(.leftIndex), wr + along * s.hand + outward * 0.01)
            set(l(.leftPinky), wr + along * (s.hand * 0.85) + outward * 0.035)
            set(l(.leftThumb), wr + along * (s.hand * 0.5) - outward * 0.025)
            // Foot: a rigid shape about the ankle; a heel lift rotates it (heel up, toes down).
            let (toeOffset, heelOffset) = footOffsets(s, lift: lift)
            let toe = an + toeOffset
            let heel = an + heelOffset
            set(l(.leftFootIndex), toe)
            set(l(.leftHeel), heel)
        }
        return p
    }

    /// Toe and heel positions relative to the ankle, for a heel lift of `lift` radians.
    func footOffsets(_ s: Subject, lift: Double) -> (toe: Vec3, heel: Vec3) {
        let axis = cross(Vec3(0, 1, 0), footForward)   // lateral; positive angles lower the toes, raise the heel
        let toe = footForward * (s.foot * 0.72) - Vec3(0, s.ankleHeight, 0)
        let heel = footForward * (-s.foot * 0.22) - Vec3(0, s.ankleHeight * 0.8, 0)
        return (rotateAboutHorizontal(toe, axis: axis, angle: lift), rotateAboutHorizontal(heel, axis: axis, angle: lift))
    }
}

/// Rotates `v` by `angle` radians about the unit `axis` (Rodrigues).
func rotateAboutHorizontal(_ v: Vec3, axis: Vec3, angle: Double) -> Vec3 {
    let k = unit(axis)
    return v * cos(angle) + cross(k, v) * sin(angle) + k * dot(k, v) * (1 - cos(angle))
}

/// Two-bone inverse kinematics: the middle joint between `root` and `end` with bone lengths
/// `a` (root side) and `b`, bent toward `hint`. `end` is pulled in when out of reach, and returned.
func solveTwoBone(root: Vec3, end: Vec3, a: Double, b: Double, hint: Vec3) -> (middle: Vec3, end: Vec3) {
    var toEnd = end - root
    var d = length(toEnd)
    let reach = (a + b) * 0.999
    if d > reach {
        toEnd = toEnd * (reach / d)
        d = reach
    }
    d = max(d, abs(a - b) + 1e-6)
    let axis = unit(toEnd)
    let along = (a * a - b * b + d * d) / (2 * d)
    let height = max(0, a * a - along * along).squareRoot()
    var bend = hint - axis * dot(hint, axis)
    if length(bend) < 1e-9 { bend = unit(cross(axis, Vec3(1, 0, 0))) }
    return (root + axis * along + unit(bend) * height, root + toEnd)
}


#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
