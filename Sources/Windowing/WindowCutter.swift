import Biomechanics
import Shards

/// A window cut from a sequence: its record for the shards and its first and last frame's times.
public struct CutWindow: Sendable {
    public var record: WindowRecord
    public var startSeconds: Double, endSeconds: Double
}

/// The windows of one sequence, and how many were dropped and why.
public struct SequenceCut: Sendable {
    public var windows: [CutWindow] = []
    public var dropped: [Windower.DropReason: Int] = [:]
    public var frames = 0
}

/// How windows are cut: their length, step, coordinates and what may be missing.
public struct CutSettings: Sendable, Equatable {
    public var window: Int
    public var stride: Int
    public var coords: WindowOptions.Coordinates
    public var thresholds: Thresholds

    public init(window: Int = 60, stride: Int = 30, coords: WindowOptions.Coordinates = .world, thresholds: Thresholds = Thresholds()) {
        self.window = window
        self.stride = stride
        self.coords = coords
        self.thresholds = thresholds
    }
}

/// Cuts a loaded sequence into normalized windows: the one place `biomech-window` and analysis
/// both go through, so a model sees the same windows in training and in use (docs/WINDOW.md).
public enum WindowCutter {
    /// Every window of `sequence`; `labelled` computes each window's labels (analysis needs none:
    /// its labels are left missing).
    public static func cut(_ sequence: LoadedSequence, _ s: CutSettings, labelled: Bool = true) -> SequenceCut {
        let t = sequence.frames
        let world = Windower.fillGaps(sequence.world, frames: t, maxGap: s.thresholds.maxGap)
        let coords: (points: [Float], observed: [UInt8])
        switch s.coords {
        case .world: coords = world
        case .image:
            let aspect = Float(sequence.aspect)
            var xyz = [Float](repeating: 0, count: t * 33 * 3)
            for i in 0..<(t * 33) {
                xyz[i * 3] = sequence.image[i * 4] * aspect
                xyz[i * 3 + 1] = sequence.image[i * 4 + 1]
                xyz[i * 3 + 2] = sequence.image[i * 4 + 2] * aspect
            }
            coords = Windower.fillGaps(xyz, frames: t, maxGap: s.thresholds.maxGap)
        }
        var cut = SequenceCut(frames: t)
        let frameSize = 33 * 3
        for k in 0..<Windower.windowCount(frames: t, window: s.window, stride: s.stride) {
            let start = k * s.stride
            let reason = Windower.dropReason(points: coords.points, observed: coords.observed, start: start, window: s.window,
                                             thresholds: s.thresholds)
                ?? (s.coords == .image ? Windower.dropReason(points: world.points, observed: world.observed, start: start,
                                                             window: s.window, thresholds: s.thresholds) : nil)
            if let reason {
                cut.dropped[reason, default: 0] += 1
                continue
            }
            guard let x = Windower.normalize(coords.points[(start * frameSize)..<((start + s.window) * frameSize)], frames: s.window) else {
                cut.dropped[.noTorso, default: 0] += 1
                continue
            }
            let labels = labelled ? WindowLabeler.labels(world: world.points, start: start, window: s.window, fps: sequence.fps, sequence.labels)
                : WindowLabels.missing
            let mask = Array(coords.observed[(start * 33)..<((start + s.window) * 33)])
            let record = WindowRecord(x: x, mask: mask, exercise: labels.exercise, quality: labels.quality, form: labels.form,
                                      angles: labels.angles, risk: labels.risk, flags: labels.flags, sequence: sequence.input.number,
                                      start: Int64(start))
            cut.windows.append(CutWindow(record: record, startSeconds: sequence.times[start], endSeconds: sequence.times[start + s.window - 1]))
        }
        return cut
    }
}

extension WindowLabels {
    /// No labels at all: every head missing.
    static let missing = WindowLabels(exercise: -1, quality: -1, form: .nan, angles: [Float](repeating: .nan, count: JointAngle.allCases.count),
                                      risk: .nan, flags: [UInt8](repeating: LabelSource.missing.rawValue, count: LabelHead.allCases.count))
}
