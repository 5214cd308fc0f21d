import Biomechanics
import Windowing

/// Everything analysis found in one set, per frame and per window: what the report, the annotated
/// video and the summary picture are made from.
public struct SetAnalysis: Sendable {
    public var profile: ExerciseProfile
    /// Each analysed frame's time, seconds.
    public var times: [Double]
    public var fps: Double
    /// Image landmarks per frame (`[T, 33, 4]`: x, y in 0-1 of the frame, z, visibility), NaN when missing.
    public var image: [Float]
    /// Frame t's world pose (gaps of up to `maxGap` frames filled), nil when incomplete.
    public var poses: [[Vec3]?]
    public var angles: BodyAngleSeries
    /// Torque risk per `RiskModel.Joint` per frame (5-frame median), NaN when no pose.
    public var jointRisk: [RiskModel.Joint: [Double]]
    public var reps: [Range<Int>]
    public var windows: [WindowResult]
    public var classNames: [String]

    /// Torque risk per landmark at frame t, for colouring the skeleton: hips take the larger of hip
    /// and lumbar; landmarks the model does not score are nil.
    public func landmarkRisk(at t: Int) -> [Double?] {
        var out = [Double?](repeating: nil, count: 33)
        func value(_ joint: RiskModel.Joint) -> Double? { jointRisk[joint].flatMap { $0[t].isFinite ? $0[t] : nil } }
        for angle in BodyAngle.all where angle.kind != .trunk {
            guard let joint = angle.riskJoint, let risk = value(joint) else { continue }
            out[angle.landmark.rawValue] = angle.kind == .hip ? max(risk, value(.lumbar) ?? 0) : risk
        }
        return out
    }

    /// The window whose end is the latest at or before frame t (what a live reader would show then).
    public func window(at t: Int) -> WindowResult? {
        windows.last { $0.start + $0.frames - 1 <= t } ?? (windows.first.flatMap { $0.start <= t ? $0 : nil })
    }

    /// Reps finished by frame t.
    public func repsDone(at t: Int) -> Int { reps.filter { $0.upperBound - 1 <= t }.count }

    /// The frame index analysed nearest to `time` seconds.
    public func frame(near time: Double) -> Int? {
        guard !times.isEmpty else { return nil }
        var lo = 0, hi = times.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < time { lo = mid + 1 } else { hi = mid }
        }
        if lo > 0 && abs(times[lo - 1] - time) <= abs(times[lo] - time) { return lo - 1 }
        return lo
    }
}
