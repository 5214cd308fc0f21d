/// Measurements on one world-coordinate pose (33 landmarks, metres, y pointing down).
///
/// World coordinates follow MediaPipe's: origin midway between the hips, y down (along gravity
/// when the camera is level), x and z horizontal. The form and risk rules below assume a roughly
/// level camera (pitch within about 15 degrees).
public struct PoseGeometry {
    public let p: [Vec3]
    public init(_ pose: [Vec3]) { p = pose }

    public subscript(_ l: Landmark) -> Vec3 { p[l.rawValue] }

    public static let down = Vec3(0, 1, 0)

    public var hipMid: Vec3 { (self[.leftHip] + self[.rightHip]) / 2 }
    public var shoulderMid: Vec3 { (self[.leftShoulder] + self[.rightShoulder]) / 2 }
    public var wristMid: Vec3 { (self[.leftWrist] + self[.rightWrist]) / 2 }
    public var ankleMid: Vec3 { (self[.leftAnkle] + self[.rightAnkle]) / 2 }

    /// The subject's left-to-right axis, horizontal, from the hips.
    public var lateral: Vec3 { horizontalUnit(self[.rightHip] - self[.leftHip]) }

    /// Where the toes point, horizontal: the mean heel-to-toe direction.
    public var forward: Vec3 {
        horizontalUnit(self[.leftFootIndex] - self[.leftHeel] + self[.rightFootIndex] - self[.rightHeel])
    }

    /// Angle of the trunk (hips to shoulders) from vertical, degrees: 0 upright, 90 horizontal.
    public var trunkLean: Double { angleDegrees(hipMid + Vec3(0, -1, 0), at: hipMid, shoulderMid) }

    /// Knee separation over ankle separation (horizontal): below 1 the knees cave in.
    public var kneeToAnkleWidth: Double {
        length(horizontal(self[.leftKnee] - self[.rightKnee])) / max(1e-6, length(horizontal(self[.leftAnkle] - self[.rightAnkle])))
    }

    /// Angle of the upper arm out of the body's sagittal plane, degrees (0 elbows in front, 90 straight out to the side).
    public func elbowFlare(left: Bool) -> Double {
        let arm = left ? self[.leftElbow] - self[.leftShoulder] : self[.rightElbow] - self[.rightShoulder]
        let across = unit(self[.rightShoulder] - self[.leftShoulder])
        return asin(min(1, abs(dot(arm, across)) / max(1e-9, length(arm)))) * 180 / .pi
    }
}

/// Dot product.
public func dot(_ a: Vec3, _ b: Vec3) -> Double { (a * b).sum() }
/// Euclidean length.
public func length(_ a: Vec3) -> Double { dot(a, a).squareRoot() }
/// `a` scaled to length 1 (the zero vector stays zero).
public func unit(_ a: Vec3) -> Vec3 { a / max(1e-12, length(a)) }
/// Cross product (right-handed).
public func cross(_ a: Vec3, _ b: Vec3) -> Vec3 {
    Vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
func horizontal(_ a: Vec3) -> Vec3 { Vec3(a.x, 0, a.z) }
func horizontalUnit(_ a: Vec3) -> Vec3 { unit(horizontal(a)) }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
