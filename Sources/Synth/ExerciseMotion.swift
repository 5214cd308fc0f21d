import BiomechCore
import Biomechanics

/// The pose of a subject doing an exercise at rep phase `s` (0 top, 1 bottom), faults included.
///
/// Feet are planted on the floor (or hands on the bar) and limbs are placed by two-bone inverse
/// kinematics between those contacts and the pelvis or shoulders, so bone lengths stay exact and
/// contacts stay put; the faults bend that motion (knees in, hips high, trunk forward...).
struct ExerciseMotion {
    let exercise: Exercise
    let subject: Subject
    let faults: FaultSeverities
    /// Per-subject style: stance, natural lean and depth, drawn once per sequence.
    let stance: Double, lean: Double, depth: Double, grip: Double

    init(exercise: Exercise, subject: Subject, faults: FaultSeverities, rng: inout SeededRandom) {
        self.exercise = exercise
        self.subject = subject
        self.faults = faults
        stance = rng.uniform(0.04...0.12)
        lean = rng.uniform(0.9...1.1)
        depth = rng.uniform(0.95...1.05)
        grip = rng.uniform(1.3...1.7)
    }

    func pose(_ s: Double) -> Skeleton {
        switch exercise {
        case .squat: return squat(s)
        case .deadlift: return deadlift(s)
        case .benchPress: return bench(s)
        case .overheadPress: return overheadPress(s)
        case .lunge: return lunge(s)
        }
    }

    private var up: Vec3 { Vec3(0, 1, 0) }
    private func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }

    /// Ankles on the floor, `halfWidth` to each side, feet pointing forward.
    private func plantedFeet(_ k: inout Skeleton, halfWidth: Double, lift: (Double, Double) = (0, 0), z: (Double, Double) = (0, 0)) {
        k.heelLift = lift
        // Raise each ankle so that its toes stay on the floor however far the heel is lifted.
        func ankle(_ x: Double, _ z: Double, _ lift: Double) -> Vec3 {
            let flat = Vec3(x, subject.ankleHeight, z)
            return flat + k.footOffsets(subject, lift: 0).toe - k.footOffsets(subject, lift: lift).toe
        }
        k.ankle = (ankle(halfWidth, z.0, lift.0), ankle(-halfWidth, z.1, lift.1))
    }

    /// Knees by IK from the hips to the ankles, bending toward `hint`, turned inward by `valgus` degrees.
    private func legs(_ k: inout Skeleton, hint: Vec3, valgus: Double, backHint: Vec3? = nil) {
        // A leg cannot reach further than its length: lower the whole body rather than lift a foot.
        let reach = subject.leg * 0.995
        var drop = 0.0
        for (hip, ankle) in [(k.hip.left, k.ankle.left), (k.hip.right, k.ankle.right)] {
            let v = hip - ankle, flat = v.x * v.x + v.z * v.z
            if dot(v, v) > reach * reach, reach * reach > flat { drop = max(drop, v.y - (reach * reach - flat).squareRoot()) }
        }
        if drop > 0 {
            let down = Vec3(0, -drop, 0)
            k.hip = (k.hip.left + down, k.hip.right + down)
            k.shoulder = (k.shoulder.left + down, k.shoulder.right + down)
            k.head += down
        }
        let inward = tan(radians(valgus)) * length(hint)
        let l = solveTwoBone(root: k.hip.left, end: k.ankle.left, a: subject.thigh, b: subject.shank, hint: hint + Vec3(-inward, 0, 0))
        let rightHint = backHint ?? hint
        let r = solveTwoBone(root: k.hip.right, end: k.ankle.right, a: subject.thigh, b: subject.shank,
                             hint: Vec3(-rightHint.x, rightHint.y, rightHint.z) + Vec3(inward, 0, 0))
        k.knee = (l.middle, r.middle)
        k.ankle = (l.end, r.end)
    }

    /// Pelvis at `hipMid` with a sideways tilt, trunk at `trunkAngle` degrees forward of vertical.
    private func torso(_ k: inout Skeleton, hipMid: Vec3, trunkAngle: Double, tilt: Double = 0) {
        // The trunk rolls as one rigid piece: `tilt` metres lower on the left hip.
        let half = subject.hipWidth / 2
        let roll = asin(min(1, tilt / half))
        let a = radians(trunkAngle)
        let trunkUp = Vec3(0, cos(a), sin(a))
        let tilted = Vec3(cos(roll), -sin(roll), 0)
        let across = unit(tilted - trunkUp * dot(tilted, trunkUp))   // square to the trunk: a rigid torso
        k.hip = (hipMid + across * half, hipMid - across * half)
        let shoulderMid = hipMid + trunkUp * subject.trunk
        let sw = subject.shoulderWidth / 2
        k.shoulder = (shoulderMid + across * sw, shoulderMid - across * sw)
        k.head = shoulderMid + trunkUp * subject.neck
        // The head stays roughly level, looking ahead and a little down.
        k.face = unit(Vec3(0, -0.25, 1))
        k.headUp = unit(trunkUp - k.face * dot(trunkUp, k.face))
    }

    /// Elbows by IK from the shoulders to the wrist targets, bending toward `hint` (mirrored for the right arm).
    private func arms(_ k: inout Skeleton, wrists: (Vec3, Vec3), hint: Vec3) {
        let l = solveTwoBone(root: k.shoulder.left, end: wrists.0, a: subject.upperArm, b: subject.forearm, hint: hint)
        let r = solveTwoBone(root: k.shoulder.right, end: wrists.1, a: subject.upperArm, b: subject.forearm,
                             hint: Vec3(-hint.x, hint.y, hint.z))
        k.elbow = (l.middle, r.middle)
        k.wrist = (l.end, r.end)
    }

    private func squat(_ s: Double) -> Skeleton {
        var k = Skeleton()
        let lift = radians(12) * faults[.heelLift] * s
        plantedFeet(&k, halfWidth: subject.hipWidth / 2 + stance, lift: (lift, lift))
        let drop = subject.leg * (0.5 * depth - 0.38 * faults[.shallowDepth]) * s
        let hipMid = Vec3(0, subject.ankleHeight + subject.leg * 0.99 - drop, -subject.thigh * 0.35 * s)
        torso(&k, hipMid: hipMid, trunkAngle: (32 * lean + 30 * faults[.forwardLean]) * s, tilt: 0.1 * faults[.asymmetry] * s)
        legs(&k, hint: Vec3(0.15, 0, 1), valgus: 18 * faults[.kneeValgus] * s)
        // Hands hold the bar on the upper back, outside the shoulders.
        let back = Vec3(0, -0.05, -0.06)
        arms(&k, wrists: (k.shoulder.left + Vec3(0.2, 0, 0) + back, k.shoulder.right + Vec3(-0.2, 0, 0) + back), hint: Vec3(0.3, -1, -0.3))
        return k
    }

    private func deadlift(_ s: Double) -> Skeleton {
        var k = Skeleton()
        plantedFeet(&k, halfWidth: subject.hipWidth / 2 + stance * 0.3)
        let drop = subject.leg * 0.2 * depth * s
        let hipMid = Vec3(0, subject.ankleHeight + subject.leg * 0.99 - drop, -subject.thigh * 0.62 * s)
        let trunkAngle = (48 * lean + 28 * faults[.lumbarFlexion]) * s
        torso(&k, hipMid: hipMid, trunkAngle: trunkAngle, tilt: 0.18 * faults[.asymmetry] * s)
        legs(&k, hint: Vec3(0, 0, 1), valgus: 0)
        // The bar hangs from straight arms over mid-foot; drift pushes it forward mid-rep.
        let barZ = subject.foot * 0.22 + 0.16 * faults[.barDrift] * sin(.pi * s)
        let shoulderY = (k.shoulder.left.y + k.shoulder.right.y) / 2
        let barY = shoulderY - subject.arm * 0.97
        let half = subject.shoulderWidth / 2 + 0.03
        arms(&k, wrists: (Vec3(half, barY, barZ), Vec3(-half, barY, barZ)), hint: Vec3(0, 0, -1))
        return k
    }

    private func bench(_ s: Double) -> Skeleton {
        var k = Skeleton()
        // Lying face up on a 0.45 m bench, head toward +z; feet planted on the floor.
        let benchTop = 0.45
        let hipMid = Vec3(0, benchTop + 0.1, 0)
        let half = subject.hipWidth / 2
        k.hip = (hipMid + Vec3(half, 0, 0), hipMid + Vec3(-half, 0, 0))
        let shoulderMid = hipMid + Vec3(0, 0.04, subject.trunk)
        let sw = subject.shoulderWidth / 2
        k.shoulder = (shoulderMid + Vec3(sw, 0, 0), shoulderMid + Vec3(-sw, 0, 0))
        k.head = shoulderMid + Vec3(0, 0.03, subject.neck)
        k.face = Vec3(0, 1, 0)
        k.headUp = Vec3(0, 0, 1)
        plantedFeet(&k, halfWidth: half + 0.15, z: (-subject.thigh * 0.75, -subject.thigh * 0.75))
        legs(&k, hint: Vec3(0, 1, 0), valgus: 0)
        // The bar moves from lockout over the shoulders down to the chest.
        let reach = subject.arm * 0.98
        let bottom = subject.arm * (0.28 * depth + 0.4 * faults[.shallowDepth])
        let height = reach - (reach - bottom) * s
        let drift = -0.2 * faults[.barDrift] * sin(.pi * s)
        let lag = 1 - 0.35 * faults[.asymmetry] * s
        let gripHalf = sw * grip
        let chest = shoulderMid.y
        let wl = Vec3(gripHalf, chest + height, shoulderMid.z - 0.05 * s + drift)
        let wr = Vec3(-gripHalf, chest + reach - (reach - bottom) * s * lag, shoulderMid.z - 0.05 * s + drift)
        // Tucked elbows point toward the hips; flared elbows straight out to the sides.
        let flare = radians(40 + 50 * faults[.elbowFlare])
        arms(&k, wrists: (wl, wr), hint: Vec3(sin(flare), -0.6, -cos(flare)))
        return k
    }

    private func overheadPress(_ s: Double) -> Skeleton {
        var k = Skeleton()
        plantedFeet(&k, halfWidth: subject.hipWidth / 2 + stance * 0.5)
        let hipMid = Vec3(0, subject.ankleHeight + subject.leg * 0.99, 0)
        // Leaning back, shown as a negative forward angle, grows as the bar goes up.
        torso(&k, hipMid: hipMid, trunkAngle: -(3 + 25 * faults[.forwardLean]) * (1 - s))
        legs(&k, hint: Vec3(0, 0, 1), valgus: 0)
        let shoulderMid = (k.shoulder.left + k.shoulder.right) / 2
        let reach = subject.arm * 0.98
        let height = reach * (1 - s) + 0.02 * s
        let lag = 1 - 0.3 * faults[.asymmetry] * (1 - s)
        let forward = 0.08 * s + 0.14 * faults[.barDrift] * sin(.pi * s)
        let gripHalf = subject.shoulderWidth / 2 * grip * 0.85
        let wl = Vec3(gripHalf, shoulderMid.y + height, shoulderMid.z + forward)
        let wr = Vec3(-gripHalf, shoulderMid.y + height * lag, shoulderMid.z + forward)
        let flare = radians(20 + 60 * faults[.elbowFlare])
        arms(&k, wrists: (wl, wr), hint: Vec3(sin(flare), -1, cos(flare)))
        return k
    }

    private func lunge(_ s: Double) -> Skeleton {
        var k = Skeleton()
        // Left foot forward, right foot back on its toes.
        let stride = subject.leg * 0.62
        plantedFeet(&k, halfWidth: subject.hipWidth / 2, lift: (0, radians(50)), z: (stride / 2, -stride / 2))
        let drop = subject.leg * (0.42 * depth - 0.28 * faults[.shallowDepth]) * s
        let hipMid = Vec3(0, subject.ankleHeight + subject.leg * 0.93 - drop, -0.02 * s)
        torso(&k, hipMid: hipMid, trunkAngle: (6 + 32 * faults[.forwardLean]) * s)
        legs(&k, hint: Vec3(0, 0, 1), valgus: 0, backHint: Vec3(0, -0.3, 1))
        // Valgus: only the front knee caves in.
        let front = solveTwoBone(root: k.hip.left, end: k.ankle.left, a: subject.thigh, b: subject.shank,
                                 hint: Vec3(-tan(radians(22 * faults[.kneeValgus] * s)), 0, 1))
        k.knee.left = front.middle
        // Dumbbells hang at the sides.
        let hang = subject.arm * 0.97
        arms(&k, wrists: (k.shoulder.left + Vec3(0.04, -hang, 0), k.shoulder.right + Vec3(-0.04, -hang, 0)), hint: Vec3(0, 0, -1))
        return k
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
