// The multi-task loss of the four heads, forward and backward side by side.
// Shape key: B batch, K exercise classes. Predictions: form [B], angles [B, 6], logits [B, K], risk [B].

/// Targets of one batch in their natural units; NaN (or class -1) marks an unknown label.
public struct Labels: Sendable {
    /// Form score 0-100, [B].
    public var form: [Double]
    /// Joint angles in degrees, [B, 6].
    public var angles: [Double]
    /// Exercise class index, or -1, [B].
    public var exercise: [Int]
    /// Risk 0-100, [B].
    public var risk: [Double]

    public init(form: [Double], angles: [Double], exercise: [Int], risk: [Double]) {
        self.form = form
        self.angles = angles
        self.exercise = exercise
        self.risk = risk
    }
}

/// Per-head weights of the loss.
public struct LossWeights: Codable, Sendable, Equatable {
    public var form = 1.0, angles = 1.0, exercise = 1.0, risk = 1.0
    public init() {}
}

/// A label batch the loss cannot use: names the head, the batch row and what was expected.
public struct LabelError: Error, Equatable, CustomStringConvertible {
    /// "form", "angles", "exercise" or "risk".
    public var head: String
    /// The batch row, nil when the whole array has the wrong length.
    public var row: Int?
    public var reason: String

    public var description: String { "labels: \(head)\(row.map { ", batch row \($0)" } ?? ""): \(reason)" }
}

/// MSE on form/100, angles/180 and risk/100, cross-entropy on the exercise; each head's term is
/// the mean over the samples (or angle values) whose label is known, so a missing label drops that
/// head's term for that sample only.
public enum MultiTaskLoss {
    /// Checks that `labels` fit a batch of `b` with `k` classes: array lengths, class indices in
    /// 0..<k or -1, and no infinite value (NaN is the unknown marker, infinity is a bug).
    public static func validate(_ labels: Labels, b: Int, k: Int) throws(LabelError) {
        for (head, count, per) in [("form", labels.form.count, 1), ("angles", labels.angles.count, 6),
                                   ("exercise", labels.exercise.count, 1), ("risk", labels.risk.count, 1)] where count != b * per {
            throw LabelError(head: head, row: nil, reason: "\(count) values for a batch of \(b), expected \(b * per)")
        }
        for (head, values, per) in [("form", labels.form, 1), ("angles", labels.angles, 6), ("risk", labels.risk, 1)] {
            if let i = values.firstIndex(where: { $0.isInfinite }) {
                throw LabelError(head: head, row: i / per, reason: "value \(values[i]); expected a finite number, or NaN for unknown")
            }
        }
        if let s = labels.exercise.firstIndex(where: { $0 < -1 || $0 >= k }) {
            throw LabelError(head: "exercise", row: s, reason: "class index \(labels.exercise[s]); expected 0..<\(k), or -1 for unknown")
        }
    }

    /// Fills `dpred` with d loss / d prediction for every head output [B, 1 + 6 + K + 1] and returns
    /// each head's figures (the loss is `figures.loss(weights:)`). Validates `labels` first.
    ///
    /// Predictions and their gradients use the heads' row layout: per sample, form, 6 angles, K logits, risk.
    /// A head whose weight is 0 gets no gradient but still has its figures.
    public static func evaluate<T: BLASScalar>(pred: UnsafePointer<T>, dpred: UnsafeMutablePointer<T>, labels: Labels,
                                               weights: LossWeights, b: Int, k: Int) throws(LabelError) -> LossFigures {
        try validate(labels, b: b, k: k)
        let width = 1 + 6 + k + 1
        for j in 0..<b * width { dpred[j] = 0 }
        var figures = LossFigures()
        figures.samples = b
        // Regression heads: (prediction, scale, weight, label getter) over their columns.
        func mse(column: Int, count: Int, scale: Double, weight: Double, label: (Int, Int) -> Double) -> RegressionFigures {
            var f = RegressionFigures()
            for s in 0..<b { for j in 0..<count where label(s, j).isFinite { f.count += 1 } }
            for s in 0..<b {
                for j in 0..<count {
                    let y = label(s, j)
                    guard y.isFinite else { continue }
                    let prediction = Double(pred[s * width + column + j])
                    let diff = prediction - y / scale
                    f.squaredErrorSum += diff * diff
                    f.absoluteErrorSum += abs(prediction * scale - y)
                    if weight != 0 { dpred[s * width + column + j] = T(weight * 2 * diff / Double(f.count)) }
                }
            }
            return f
        }
        figures.form = mse(column: 0, count: 1, scale: 100, weight: weights.form) { s, _ in labels.form[s] }
        figures.angles = mse(column: 1, count: 6, scale: 180, weight: weights.angles) { s, j in labels.angles[s * 6 + j] }
        figures.risk = mse(column: 7 + k, count: 1, scale: 100, weight: weights.risk) { s, _ in labels.risk[s] }
        // Cross-entropy with a stable softmax.
        let known = labels.exercise.filter { $0 >= 0 }.count
        figures.exercise.count = known
        for s in 0..<b where labels.exercise[s] >= 0 {
            let y = labels.exercise[s]
            let logits = (0..<k).map { Double(pred[s * width + 7 + $0]) }
            let top = logits.max()!
            let exps = logits.map { exp($0 - top) }
            let total = exps.reduce(0, +)
            figures.exercise.crossEntropySum += -(logits[y] - top - log(total))
            if logits.firstIndex(of: top) == y { figures.exercise.correct += 1 }
            guard weights.exercise != 0 else { continue }
            for j in 0..<k {
                let p = exps[j] / total - (j == y ? 1 : 0)
                dpred[s * width + 7 + j] = T(weights.exercise * p / Double(known))
            }
        }
        return figures
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
