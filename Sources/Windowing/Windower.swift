import Shards

/// Shape key: T frames in a sequence, W frames in a window, V = 33 landmarks, C = 3 coordinates.
///
/// Cuts a sequence into windows: fills short gaps, drops windows with too much missing, normalizes.
/// Pure functions on flat `[T, V, C]` arrays, NaN where a landmark is missing (docs/WINDOW.md).
public enum Windower {
    public static let landmarks = 33

    /// Windows of `window` frames every `stride` frames in `frames` frames: floor((T - W) / S) + 1, or 0 when T < W.
    public static func windowCount(frames: Int, window: Int, stride: Int) -> Int {
        frames >= window ? (frames - window) / stride + 1 : 0
    }

    /// Why a window is left out of the shards.
    public enum DropReason: String, CaseIterable, Sendable {
        /// A gap longer than `maxGap` frames, or one at an end of the sequence, could not be filled.
        case unfilledGap = "unfilled_gap"
        /// More than `maxMissingFrames` of the window's frames had nobody in them.
        case missingFrames = "missing_frames"
        /// More than `maxMissingLandmarks` of the window's landmark entries were missing.
        case missingLandmarks = "missing_landmarks"
        /// The torso (mid-shoulder to mid-hip) has no length to scale by.
        case noTorso = "no_torso"
    }

    /// Fills each landmark's runs of missing frames (`[T, V, C]`, NaN) of at most `maxGap` frames that
    /// have an observed frame on both sides, by linear interpolation between those two frames.
    ///
    /// Returns the filled points and `observed` (`[T, V]`: 1 observed, 0 filled or still missing).
    public static func fillGaps(_ points: [Float], frames: Int, maxGap: Int) -> (points: [Float], observed: [UInt8]) {
        let v = landmarks
        precondition(points.count == frames * v * 3)
        var filled = points
        var observed = [UInt8](repeating: 0, count: frames * v)
        for landmark in 0..<v {
            func present(_ t: Int) -> Bool {
                let base = (t * v + landmark) * 3
                return !points[base].isNaN && !points[base + 1].isNaN && !points[base + 2].isNaN
            }
            var last: Int?
            for t in 0..<frames where present(t) {
                observed[t * v + landmark] = 1
                if let last, t - last > 1, t - last - 1 <= maxGap {
                    for missing in (last + 1)..<t {
                        let f = Float(missing - last) / Float(t - last)
                        for c in 0..<3 {
                            let a = points[(last * v + landmark) * 3 + c], b = points[(t * v + landmark) * 3 + c]
                            filled[(missing * v + landmark) * 3 + c] = a + (b - a) * f
                        }
                    }
                }
                last = t
            }
        }
        return (filled, observed)
    }

    /// The reason to drop the window at frames `start..<start + window`, or nil to keep it.
    ///
    /// `points` are after `fillGaps`, `observed` its mask; a frame had nobody when none of its
    /// landmarks was observed.
    public static func dropReason(points: [Float], observed: [UInt8], start: Int, window: Int,
                                  thresholds: Thresholds) -> DropReason? {
        let v = landmarks
        let range = (start * v * 3)..<((start + window) * v * 3)
        if points[range].contains(where: \.isNaN) { return .unfilledGap }
        var emptyFrames = 0, missing = 0
        for t in start..<(start + window) {
            let seen = observed[(t * v)..<((t + 1) * v)].reduce(0) { $0 + Int($1) }
            if seen == 0 { emptyFrames += 1 }
            missing += v - seen
        }
        if Double(emptyFrames) > thresholds.maxMissingFrames * Double(window) { return .missingFrames }
        if Double(missing) > thresholds.maxMissingLandmarks * Double(window * v) { return .missingLandmarks }
        return nil
    }

    /// One window's points (`[W, V, C]`), moved so each frame's mid-hip is the origin and scaled so
    /// the window's median torso length (mid-shoulder to mid-hip) is 1; nil when that median is not positive.
    public static func normalize(_ window: ArraySlice<Float>, frames: Int) -> [Float]? {
        let v = landmarks
        var out = [Float](window)
        precondition(out.count == frames * v * 3)
        func point(_ t: Int, _ l: Int) -> SIMD3<Float> {
            let b = (t * v + l) * 3
            return SIMD3(out[b], out[b + 1], out[b + 2])
        }
        var torso: [Float] = []
        for t in 0..<frames {
            let hip = (point(t, 23) + point(t, 24)) / 2, shoulder = (point(t, 11) + point(t, 12)) / 2
            let d = shoulder - hip
            torso.append((d * d).sum().squareRoot())
            for l in 0..<v {
                let b = (t * v + l) * 3
                out[b] -= hip.x; out[b + 1] -= hip.y; out[b + 2] -= hip.z
            }
        }
        torso.sort()
        let median = torso.count % 2 == 1 ? torso[torso.count / 2] : (torso[torso.count / 2 - 1] + torso[torso.count / 2]) / 2
        guard median > 0, median.isFinite else { return nil }
        for i in out.indices { out[i] /= median }
        return out
    }
}
