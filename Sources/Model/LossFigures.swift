// Per-head sums and counts of one or more batches: what the loss and the metrics are made of.
// Sums, not means, so that an evaluator adds batches exactly and divides once at the end.

/// A regression head's figures (form, angles or risk) over the labels that are known.
public struct RegressionFigures: Sendable, Equatable {
    /// Known labels (for the angles: known angle values, up to 6 per sample).
    public var count = 0
    /// Σ (prediction − label / scale)², in the loss's units (form and risk / 100, angles / 180).
    public var squaredErrorSum = 0.0
    /// Σ |prediction · scale − label|, in the label's units (points, degrees).
    public var absoluteErrorSum = 0.0

    public init() {}

    /// The head's loss term: the mean squared error over known labels, 0 when none is known.
    public var loss: Double { count > 0 ? squaredErrorSum / Double(count) : 0 }
    /// Mean absolute error in the label's units, nil when no label is known.
    public var meanAbsoluteError: Double? { count > 0 ? absoluteErrorSum / Double(count) : nil }

    public mutating func add(_ other: RegressionFigures) {
        count += other.count
        squaredErrorSum += other.squaredErrorSum
        absoluteErrorSum += other.absoluteErrorSum
    }
}

/// The exercise head's figures over the samples whose class is known.
public struct ClassificationFigures: Sendable, Equatable {
    /// Samples with a known class.
    public var count = 0
    /// Samples whose largest logit (the first, on ties) is their class.
    public var correct = 0
    /// Σ −log softmax(logits)[class].
    public var crossEntropySum = 0.0

    public init() {}

    /// The head's loss term: the mean cross-entropy, 0 when no class is known.
    public var loss: Double { count > 0 ? crossEntropySum / Double(count) : 0 }
    /// Share of known samples classified correctly, nil when none is known.
    public var accuracy: Double? { count > 0 ? Double(correct) / Double(count) : nil }

    public mutating func add(_ other: ClassificationFigures) {
        count += other.count
        correct += other.correct
        crossEntropySum += other.crossEntropySum
    }
}

/// Every head's figures for a batch (or, after `add`, for several).
public struct LossFigures: Sendable, Equatable {
    /// Samples seen, known labels or not.
    public var samples = 0
    public var form = RegressionFigures(), angles = RegressionFigures(), risk = RegressionFigures()
    public var exercise = ClassificationFigures()

    public init() {}

    /// The multi-task loss: Σ weight × head loss (for one batch, what its gradient is of).
    public func loss(weights: LossWeights) -> Double {
        weights.form * form.loss + weights.angles * angles.loss + weights.exercise * exercise.loss + weights.risk * risk.loss
    }

    public mutating func add(_ other: LossFigures) {
        samples += other.samples
        form.add(other.form)
        angles.add(other.angles)
        risk.add(other.risk)
        exercise.add(other.exercise)
    }
}
