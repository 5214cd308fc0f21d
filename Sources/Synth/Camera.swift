import BiomechCore
import Biomechanics

/// A pinhole camera looking at the subject, projecting to MediaPipe's normalized image coordinates.
public struct Camera: Codable, Sendable {
    /// Degrees around the subject: 0 in front, 90 at the subject's left side.
    public var yaw: Double
    /// Degrees the camera looks down (positive) or up.
    public var pitch: Double
    /// Metres from the aim point.
    public var distance: Double
    /// Focal length over image height; `aspect` is width over height.
    public var focal: Double
    public var aspect: Double

    public init(_ rng: inout SeededRandom, exercise: Exercise) {
        let side = rng.chance(0.5) ? 1.0 : -1.0
        yaw = exercise == .benchPress ? side * rng.uniform(50...130) : rng.uniform(-70...70)
        pitch = rng.uniform(-5...15)
        focal = rng.uniform(1.0...1.5)
        // Far enough that a 2.4 m tall (arms overhead) or long (lying) body stays inside the frame.
        distance = max(rng.uniform(2.6...4.5), focal * 1.25 / 0.42)
        let landscape = 16.0 / 9.0, portrait = 9.0 / 16.0, classic = 4.0 / 3.0
        // A lying lifter does not fit a portrait frame.
        aspect = exercise == .benchPress ? rng.pick([landscape, classic]) : rng.pick([landscape, portrait, classic])
    }

    /// The camera's position and axes (right, down, forward) for a subject centred on `aim` (body frame, y up).
    func frame(aim: Vec3) -> (origin: Vec3, right: Vec3, down: Vec3, forward: Vec3) {
        let y = yaw * .pi / 180, p = pitch * .pi / 180
        // Yaw 0 puts the camera on +z (the subject faces +z); yaw 90 on +x (their left).
        let away = Vec3(sin(y) * cos(p), sin(p), cos(y) * cos(p))
        let origin = aim + away * distance
        let forward = unit(aim - origin)
        let right = unit(cross(forward, Vec3(0, 1, 0)))
        return (origin, right, cross(forward, right), forward)
    }

    /// MediaPipe image landmarks: x, y in [0, 1] of the frame, z depth relative to the hips on x's scale.
    func project(_ points: [Vec3], aim: Vec3, hipMid: Vec3) -> [Vec3] {
        let (origin, right, down, forward) = frame(aim: aim)
        let fy = focal, fx = focal / aspect
        let hipDepth = dot(hipMid - origin, forward)
        return points.map { p in
            let d = p - origin
            let depth = dot(d, forward)
            return Vec3(0.5 + fx * dot(d, right) / depth, 0.5 + fy * dot(d, down) / depth, fx * (depth - hipDepth) / hipDepth)
        }
    }

    /// MediaPipe world landmarks: metres, origin between the hips, y down, x and z turned with the camera's yaw.
    func world(_ points: [Vec3], hipMid: Vec3) -> [Vec3] {
        let (_, right, _, forward) = frame(aim: hipMid)
        let level = unit(Vec3(forward.x, 0, forward.z))
        let r = unit(cross(level, Vec3(0, 1, 0)))
        _ = right
        return points.map { p in
            let d = p - hipMid
            return Vec3(dot(d, r), -d.y, dot(d, level))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
