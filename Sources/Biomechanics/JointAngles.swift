/// The six joint angles of the model's angle head, in degrees, from world landmarks.
///
/// Each is the 3-D interior angle at the middle joint: 180 is a straight limb, 90 a right angle.
public enum JointAngle: Int, CaseIterable, Codable, Sendable {
    case leftKnee, rightKnee, leftHip, rightHip, leftElbow, rightElbow

    /// The angles' names in head order, as shards (`angles`), reports and exported models spell them.
    public static let names = ["left_knee", "right_knee", "left_hip", "right_hip", "left_elbow", "right_elbow"]

    /// The three landmarks (outer, joint, outer) whose angle at the middle one this is.
    public var landmarks: (Landmark, Landmark, Landmark) {
        switch self {
        case .leftKnee: return (.leftHip, .leftKnee, .leftAnkle)
        case .rightKnee: return (.rightHip, .rightKnee, .rightAnkle)
        case .leftHip: return (.leftShoulder, .leftHip, .leftKnee)
        case .rightHip: return (.rightShoulder, .rightHip, .rightKnee)
        case .leftElbow: return (.leftShoulder, .leftElbow, .leftWrist)
        case .rightElbow: return (.rightShoulder, .rightElbow, .rightWrist)
        }
    }

    /// The angle in one pose (33 world landmarks); NaN when a landmark is missing or coincident.
    public func degrees(in pose: [Vec3]) -> Double {
        let (a, b, c) = landmarks
        return angleDegrees(pose[a.rawValue], at: pose[b.rawValue], pose[c.rawValue])
    }

    /// All six angles of one pose, in head order.
    public static func all(in pose: [Vec3]) -> [Double] { allCases.map { $0.degrees(in: pose) } }
}

/// The interior angle at `b` between `a` and `c`, in degrees.
public func angleDegrees(_ a: Vec3, at b: Vec3, _ c: Vec3) -> Double {
    let u = a - b, v = c - b
    let lengths = (u * u).sum().squareRoot() * (v * v).sum().squareRoot()
    guard lengths > 1e-12 else { return .nan }
    let cosine = max(-1, min(1, (u * v).sum() / lengths))
    return acos(cosine) * 180 / .pi
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
