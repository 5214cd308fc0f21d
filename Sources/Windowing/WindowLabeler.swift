import Biomechanics
import Shards

/// What a sequence says about itself besides its landmarks: labels, and the generator's truth if any.
public struct SequenceLabels: Sendable, Equatable {
    /// A model class (docs/LABELS.md); nil when unknown or not one of the model's classes.
    public var exercise: Exercise?
    public var quality: QualityLevel?
    public var truth: SequenceTruth?

    public init(exercise: Exercise? = nil, quality: QualityLevel? = nil, truth: SequenceTruth? = nil) {
        self.exercise = exercise
        self.quality = quality
        self.truth = truth
    }
}

/// `truth` of a synthetic sequence's `ID.json` (docs/SEQUENCES.md).
public struct SequenceTruth: Sendable, Equatable {
    public struct Rep: Sendable, Equatable {
        /// Frames `start..<end`.
        public var start: Int, end: Int
        public var formScore: Double
        public init(start: Int, end: Int, formScore: Double) { self.start = start; self.end = end; self.formScore = formScore }
    }
    public var reps: [Rep]
    /// Per frame, the six angles in `JointAngle` order.
    public var jointAngles: [[Double]]?
    /// Per frame, the largest joint risk.
    public var overallRisk: [Double]?

    public init(reps: [Rep], jointAngles: [[Double]]?, overallRisk: [Double]?) {
        self.reps = reps
        self.jointAngles = jointAngles
        self.overallRisk = overallRisk
    }
}

/// A window's labels and where each came from (docs/WINDOW.md, "Labels").
public struct WindowLabels: Sendable, Equatable {
    public var exercise: Int32, quality: Int32
    public var form: Float
    public var angles: [Float]
    public var risk: Float
    /// `LabelSource` raw values in `LabelHead` order.
    public var flags: [UInt8]
}

/// Computes a window's labels with the `Biomechanics` definitions, preferring the generator's truth.
public enum WindowLabeler {
    /// The frames of a median filter (centred; fewer at the ends).
    public static let medianWidth = 5

    /// Labels of frames `start..<start + window` of a sequence whose world landmarks (`[T, 33, 3]`,
    /// metres, gaps filled) are `world`.
    public static func labels(world: [Float], start: Int, window: Int, fps: Double, _ given: SequenceLabels) -> WindowLabels {
        let range = start..<(start + window)
        var flags = [UInt8](repeating: LabelSource.missing.rawValue, count: LabelHead.allCases.count)
        func mark(_ head: LabelHead, _ source: LabelSource) { flags[head.rawValue] = source.rawValue }
        lazy var poses: [[Vec3]] = range.map { t in
            (0..<33).map { l in
                let b = (t * 33 + l) * 3
                return Vec3(Double(world[b]), Double(world[b + 1]), Double(world[b + 2]))
            }
        }

        if given.exercise != nil { mark(.exercise, .truth) }

        // Form: the truth of the reps the window overlaps, weighted by overlap; else the scorer.
        var form = Double.nan
        let overlaps = (given.truth?.reps ?? []).map { rep in (rep, max(0, min(rep.end, range.upperBound) - max(rep.start, range.lowerBound))) }
            .filter { $0.1 > 0 }
        if !overlaps.isEmpty {
            form = overlaps.reduce(0) { $0 + $1.0.formScore * Double($1.1) } / Double(overlaps.reduce(0) { $0 + $1.1 })
            mark(.form, .truth)
        } else if let exercise = given.exercise {
            form = FormScorer.score(rep: poses, exercise: exercise, fps: fps).score
            mark(.form, .computed)
        }

        // Angles: peak flexion, the minimum of each angle after a median filter.
        var angles = [Double](repeating: .nan, count: JointAngle.allCases.count)
        if let truth = given.truth?.jointAngles, truth.count >= range.upperBound {
            angles = JointAngle.allCases.map { angle in peakFlexion(range.map { truth[$0][angle.rawValue] }) }
            mark(.angles, .truth)
        } else {
            angles = JointAngle.allCases.map { angle in peakFlexion(poses.map { angle.degrees(in: $0) }) }
            if angles.contains(where: { !$0.isNaN }) { mark(.angles, .computed) }
        }

        // Risk: the window's peak.
        var risk = Double.nan
        if let truth = given.truth?.overallRisk, truth.count >= range.upperBound {
            risk = range.map { truth[$0] }.max() ?? .nan
            mark(.risk, .truth)
        } else if let exercise = given.exercise {
            let model = RiskModel(exercise: exercise)
            risk = poses.map { model.risk($0).overall }.max() ?? .nan
            mark(.risk, .computed)
        }

        return WindowLabels(exercise: Int32(given.exercise?.classIndex ?? -1),
                            quality: Int32(given.quality.flatMap { QualityLevel.allCases.firstIndex(of: $0) } ?? -1),
                            form: Float(form), angles: angles.map(Float.init), risk: Float(risk), flags: flags)
    }

    /// The smallest value of `series` after a centred median filter of `medianWidth` frames; NaNs are
    /// left out of each median, and NaN comes back only when every value is NaN.
    public static func peakFlexion(_ series: [Double]) -> Double {
        MedianFilter.apply(series, width: medianWidth).filter { !$0.isNaN }.min() ?? .nan
    }
}
