/// Quasi-static joint moments from segment masses and an external load, turned into 0-100 risk.
///
/// For each joint, the moment is the sum over the masses it holds up of weight x horizontal
/// lever arm (force x lever x sin(theta), computed as |r x F| with F along gravity). Risk is the
/// moment over the joint's maximum safe moment, x 100, clipped to 0-100. Tables and sources are
/// in docs/LABELS.md.
public struct RiskModel: Sendable {
    /// Joints with a risk score, in report order.
    public enum Joint: String, CaseIterable, Codable, Sendable {
        case leftKnee = "left_knee", rightKnee = "right_knee", leftHip = "left_hip", rightHip = "right_hip"
        case lumbar, leftShoulder = "left_shoulder", rightShoulder = "right_shoulder"
        case leftElbow = "left_elbow", rightElbow = "right_elbow"

        /// Maximum safe moment, N·m (docs/LABELS.md gives the sources).
        public var maxSafeMoment: Double {
            switch self {
            case .leftKnee, .rightKnee: return 300
            case .leftHip, .rightHip: return 350
            case .lumbar: return 350
            case .leftShoulder, .rightShoulder: return 90
            case .leftElbow, .rightElbow: return 70
            }
        }
    }

    /// Body mass, kg (default 75).
    public var bodyMass: Double
    /// External load, kg: a barbell on the shoulders (squat, lunge) or in the hands (the others).
    public var load: Double
    public var exercise: Exercise

    /// Default external load per exercise as a fraction of body mass.
    public static func defaultLoadFraction(_ exercise: Exercise) -> Double {
        switch exercise {
        case .squat: return 1.0
        case .deadlift: return 1.2
        case .benchPress: return 0.8
        case .overheadPress: return 0.5
        case .lunge: return 0.3
        }
    }

    public init(exercise: Exercise, bodyMass: Double = 75, load: Double? = nil) {
        self.exercise = exercise
        self.bodyMass = bodyMass
        self.load = load ?? bodyMass * Self.defaultLoadFraction(exercise)
    }

    static let gravity = 9.81

    /// Per-joint risk (0-100) for one pose, in `Joint.allCases` order, plus the overall (the largest).
    public func risk(_ pose: [Vec3]) -> (joints: [Double], overall: Double) {
        let moments = self.moments(pose)
        let risks = zip(Joint.allCases, moments).map { joint, moment in min(100, max(0, moment / joint.maxSafeMoment * 100)) }
        return (risks, risks.max() ?? 0)
    }

    /// Per-joint moments, N·m, in `Joint.allCases` order.
    public func moments(_ pose: [Vec3]) -> [Double] {
        let g = PoseGeometry(pose)
        let s = Segments(g, bodyMass: bodyMass)
        let loadPoint: Vec3
        switch exercise {
        case .squat, .lunge: loadPoint = g.shoulderMid   // bar on the upper back
        default: loadPoint = g.wristMid
        }
        let barOnBack = exercise == .squat || exercise == .lunge
        let load = Mass(kg: self.load, at: loadPoint)
        let armsLeft = [s.upperArm.left, s.forearm.left, s.hand.left]
        let armsRight = [s.upperArm.right, s.forearm.right, s.hand.right]
        let upperBody = [s.trunk, s.head] + armsLeft + armsRight + [load]
        func moment(about joint: Vec3, _ masses: [Mass], share: Double = 1) -> Double {
            var total = Vec3(0, 0, 0)
            for m in masses { total += cross(m.at - joint, Vec3(0, m.kg * Self.gravity, 0)) }
            return length(total) * share
        }
        let handLoadShare = barOnBack ? Mass(kg: 0, at: loadPoint) : Mass(kg: self.load / 2, at: loadPoint)
        let shoulderL = moment(about: g[.leftShoulder], armsLeft + [handLoadShare])
        let shoulderR = moment(about: g[.rightShoulder], armsRight + [handLoadShare])
        let elbowL = moment(about: g[.leftElbow], [s.forearm.left, s.hand.left, handLoadShare])
        let elbowR = moment(about: g[.rightElbow], [s.forearm.right, s.hand.right, handLoadShare])
        if exercise == .benchPress {
            // Lying on the bench: legs, hips and back are supported; only the arms hold the bar.
            return [0, 0, 0, 0, 0, shoulderL, shoulderR, elbowL, elbowR]
        }
        let aboveKnees = upperBody + [s.thigh.left, s.thigh.right]
        return [
            moment(about: g[.leftKnee], aboveKnees, share: 0.5), moment(about: g[.rightKnee], aboveKnees, share: 0.5),
            moment(about: g[.leftHip], upperBody, share: 0.5), moment(about: g[.rightHip], upperBody, share: 0.5),
            moment(about: g.hipMid, upperBody),
            shoulderL, shoulderR, elbowL, elbowR,
        ]
    }
}

/// A point mass.
struct Mass {
    var kg: Double
    var at: Vec3
}

/// Segment masses and centres of mass after de Leva (1996), male values, from the landmarks.
struct Segments {
    var head: Mass, trunk: Mass
    var upperArm: (left: Mass, right: Mass), forearm: (left: Mass, right: Mass), hand: (left: Mass, right: Mass)
    var thigh: (left: Mass, right: Mass)

    /// Mass fractions of body mass and centre-of-mass positions from the proximal end (de Leva 1996).
    static let headFraction = 0.0694, trunkFraction = 0.4346, upperArmFraction = 0.0271
    static let forearmFraction = 0.0162, handFraction = 0.0061, thighFraction = 0.1416

    init(_ g: PoseGeometry, bodyMass m: Double) {
        func along(_ a: Vec3, _ b: Vec3, _ t: Double) -> Vec3 { a + (b - a) * t }
        head = Mass(kg: m * Self.headFraction, at: (g[.leftEar] + g[.rightEar]) / 2)
        // Trunk COM about 45% of the way from the shoulders' midpoint to the hips' (de Leva: 44.86% from C7).
        trunk = Mass(kg: m * Self.trunkFraction, at: along(g.shoulderMid, g.hipMid, 0.4486))
        upperArm = (Mass(kg: m * Self.upperArmFraction, at: along(g[.leftShoulder], g[.leftElbow], 0.5772)),
                    Mass(kg: m * Self.upperArmFraction, at: along(g[.rightShoulder], g[.rightElbow], 0.5772)))
        forearm = (Mass(kg: m * Self.forearmFraction, at: along(g[.leftElbow], g[.leftWrist], 0.4574)),
                   Mass(kg: m * Self.forearmFraction, at: along(g[.rightElbow], g[.rightWrist], 0.4574)))
        hand = (Mass(kg: m * Self.handFraction, at: (g[.leftWrist] + g[.leftIndex]) / 2),
                Mass(kg: m * Self.handFraction, at: (g[.rightWrist] + g[.rightIndex]) / 2))
        thigh = (Mass(kg: m * Self.thighFraction, at: along(g[.leftHip], g[.leftKnee], 0.4095)),
                 Mass(kg: m * Self.thighFraction, at: along(g[.rightHip], g[.rightKnee], 0.4095)))
    }
}
