import Biomechanics

/// A joint angle the report describes: hip, knee, ankle, shoulder, elbow (each side) and the trunk.
public struct BodyAngle: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable { case hip, knee, ankle, shoulder, elbow, trunk }
    public enum Side: String, Sendable { case left, right, none }
    public var kind: Kind
    public var side: Side

    public init(kind: Kind, side: Side) {
        self.kind = kind
        self.side = side
    }

    /// Report order: hip, knee, ankle, shoulder, elbow (left then right), then the trunk.
    public static let all: [BodyAngle] = Kind.allCases.flatMap { kind in
        kind == .trunk ? [BodyAngle(kind: kind, side: .none)] : [BodyAngle(kind: kind, side: .left), BodyAngle(kind: kind, side: .right)]
    }

    /// e.g. `left_knee`, `trunk`.
    public var name: String { side == .none ? kind.rawValue : "\(side.rawValue)_\(kind.rawValue)" }

    /// The landmark the angle sits at (trunk: the left hip, its lower end).
    public var landmark: Landmark {
        let left = side != .right
        switch kind {
        case .hip: return left ? .leftHip : .rightHip
        case .knee: return left ? .leftKnee : .rightKnee
        case .ankle: return left ? .leftAnkle : .rightAnkle
        case .shoulder: return left ? .leftShoulder : .rightShoulder
        case .elbow: return left ? .leftElbow : .rightElbow
        case .trunk: return .leftHip
        }
    }

    /// The torque model's joint for this angle (trunk: lumbar); nil for the ankles, which it does not score.
    public var riskJoint: RiskModel.Joint? {
        let left = side != .right
        switch kind {
        case .hip: return left ? .leftHip : .rightHip
        case .knee: return left ? .leftKnee : .rightKnee
        case .shoulder: return left ? .leftShoulder : .rightShoulder
        case .elbow: return left ? .leftElbow : .rightElbow
        case .trunk: return .lumbar
        case .ankle: return nil
        }
    }

    /// Degrees in one world pose: interior angles at the joint (knee hip-knee-ankle, hip
    /// shoulder-hip-knee, ankle knee-ankle-toes, shoulder hip-shoulder-elbow, elbow
    /// shoulder-elbow-wrist); the trunk's lean from vertical. NaN when a landmark is missing.
    public func degrees(in pose: [Vec3]) -> Double {
        let l = side != .right
        func at(_ a: Landmark, _ b: Landmark, _ c: Landmark) -> Double { angleDegrees(pose[a.rawValue], at: pose[b.rawValue], pose[c.rawValue]) }
        switch kind {
        case .knee: return l ? at(.leftHip, .leftKnee, .leftAnkle) : at(.rightHip, .rightKnee, .rightAnkle)
        case .hip: return l ? at(.leftShoulder, .leftHip, .leftKnee) : at(.rightShoulder, .rightHip, .rightKnee)
        case .ankle: return l ? at(.leftKnee, .leftAnkle, .leftFootIndex) : at(.rightKnee, .rightAnkle, .rightFootIndex)
        case .shoulder: return l ? at(.leftHip, .leftShoulder, .leftElbow) : at(.rightHip, .rightShoulder, .rightElbow)
        case .elbow: return l ? at(.leftShoulder, .leftElbow, .leftWrist) : at(.rightShoulder, .rightElbow, .rightWrist)
        case .trunk: return PoseGeometry(pose).trunkLean
        }
    }
}

/// Every `BodyAngle` over a sequence's frames, 5-frame median filtered (as the labels are).
public struct BodyAngleSeries: Sendable {
    public let frames: Int
    private let values: [BodyAngle: [Double]]

    /// `poses[t]` is frame t's 33 world landmarks, nil when nobody was there.
    public init(poses: [[Vec3]?]) {
        frames = poses.count
        var values: [BodyAngle: [Double]] = [:]
        for angle in BodyAngle.all {
            values[angle] = MedianFilter.apply(poses.map { $0.map(angle.degrees) ?? .nan })
        }
        self.values = values
    }

    public func series(_ angle: BodyAngle) -> [Double] { values[angle] ?? [] }
}
