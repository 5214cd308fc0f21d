import BiomechCore
import Biomechanics
import Foundation

/// Shape key: W frames, V = 33 landmarks, C = 3 (x, y, z; y points down).
///
/// Random changes to a training window that keep its labels true: a turn about the vertical axis,
/// a scale, a left-right mirror (which swaps the left and right angle labels too) and a small
/// change of speed. Each is a pure function of (seed, batch number, row). docs/TRAINING.md, "Augmentation".
public struct Augmentation: Sendable, Equatable {
    /// Largest turn about the vertical (y) axis, degrees.
    public var maxYaw = 30.0
    /// Largest relative change of size.
    public var maxScale = 0.1
    /// Chance of mirroring.
    public var mirrorChance = 0.5
    /// Largest relative change of speed (the window is resampled about its centre).
    public var maxSpeed = 0.1

    public init() {}

    static let stream: UInt64 = 0x6175_676d_0000_0000  // "augm"

    /// What is done to one row.
    public struct Draw: Sendable, Equatable {
        public var yawDegrees: Double, scale: Double, mirror: Bool, speed: Double
        public init(yawDegrees: Double, scale: Double, mirror: Bool, speed: Double) {
            self.yawDegrees = yawDegrees; self.scale = scale; self.mirror = mirror; self.speed = speed
        }
    }

    /// The draw for row `row` of batch `batch` of a run seeded `seed`.
    public func draw(seed: UInt64, batch: Int, row: Int) -> Draw {
        var rng = SeededRandom(seed: seed, stream: Self.stream &+ UInt64(batch) &* 4096 &+ UInt64(row))
        return Draw(yawDegrees: rng.signedUnit() * maxYaw, scale: 1 + rng.signedUnit() * maxScale, mirror: rng.chance(mirrorChance),
                    speed: 1 + rng.signedUnit() * maxSpeed)
    }

    /// Applies `draw` to a window `x` (`[W, V, C]`), its `mask` (`[W, V]`) and its six `angles` labels.
    public static func apply(_ draw: Draw, x: inout [Float], mask: inout [UInt8], angles: inout [Float], frames w: Int) {
        if draw.speed != 1 { retime(x: &x, mask: &mask, frames: w, speed: draw.speed) }
        if draw.mirror { mirror(x: &x, mask: &mask, angles: &angles, frames: w) }
        let a = draw.yawDegrees * .pi / 180
        let c = Float(cos(a)), s = Float(sin(a)), k = Float(draw.scale)
        for p in stride(from: 0, to: x.count, by: 3) {
            let px: Float = x[p], pz: Float = x[p + 2]
            let turnedX: Float = c * px + s * pz
            let turnedZ: Float = c * pz - s * px
            x[p] = turnedX * k
            x[p + 1] *= k
            x[p + 2] = turnedZ * k
        }
    }

    /// Left becomes right: x changes sign, each landmark swaps with its mirror image, and so do the
    /// left and right joint-angle labels. Twice is the identity.
    public static func mirror(x: inout [Float], mask: inout [UInt8], angles: inout [Float], frames w: Int) {
        let v = Landmark.count
        let source = x, sourceMask = mask
        for t in 0..<w {
            for l in 0..<v {
                let m = Landmark(rawValue: l)!.mirrored.rawValue
                let to = (t * v + l) * 3, from = (t * v + m) * 3
                x[to] = -source[from]
                x[to + 1] = source[from + 1]
                x[to + 2] = source[from + 2]
                mask[t * v + l] = sourceMask[t * v + m]
            }
        }
        for (left, right) in [(JointAngle.leftKnee, JointAngle.rightKnee), (.leftHip, .rightHip), (.leftElbow, .rightElbow)] {
            angles.swapAt(left.rawValue, right.rawValue)
        }
    }

    /// Plays the window `speed` times as fast about its centre: frame t shows the pose at time
    /// centre + (t - centre) * speed, interpolated linearly, clamped to the window (the mask takes
    /// the nearer frame's).
    static func retime(x: inout [Float], mask: inout [UInt8], frames w: Int, speed: Double) {
        let v = Landmark.count, source = x, sourceMask = mask
        let centre = Double(w - 1) / 2
        for t in 0..<w {
            let at = min(Double(w - 1), max(0, centre + (Double(t) - centre) * speed))
            let t0 = Int(at), t1 = min(w - 1, t0 + 1), f = Float(at - Double(t0))
            for i in 0..<(v * 3) { x[t * v * 3 + i] = source[t0 * v * 3 + i] * (1 - f) + source[t1 * v * 3 + i] * f }
            for l in 0..<v { mask[t * v + l] = sourceMask[(f < 0.5 ? t0 : t1) * v + l] }
        }
    }
}
