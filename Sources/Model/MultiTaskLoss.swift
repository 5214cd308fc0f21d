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
public struct LossWeights: Codable, Sendable {
    public var form = 1.0, angles = 1.0, exercise = 1.0, risk = 1.0
    public init() {}
}

/// MSE on form/100, angles/180 and risk/100, cross-entropy on the exercise; each head's term is
/// the mean over the samples (or angle values) whose label is known, so a missing label drops that
/// head's term for that sample only.
public enum MultiTaskLoss {
    /// The loss, and `dpred` filled with d loss / d prediction for every head output [B, 1 + 6 + K + 1].
    ///
    /// Predictions and their gradients use the heads' row layout: per sample, form, 6 angles, K logits, risk.
    public static func evaluate<T: BLASScalar>(pred: UnsafePointer<T>, dpred: UnsafeMutablePointer<T>, labels: Labels,
                                               weights: LossWeights, b: Int, k: Int) -> Double {
        let width = 1 + 6 + k + 1
        for j in 0..<b * width { dpred[j] = 0 }
        var loss = 0.0
        // Regression heads: (prediction, scale, weight, label getter) over their columns.
        func mse(column: Int, count: Int, scale: Double, weight: Double, label: (Int, Int) -> Double) {
            var known = 0
            for s in 0..<b { for j in 0..<count where label(s, j).isFinite { known += 1 } }
            guard known > 0, weight != 0 else { return }
            for s in 0..<b {
                for j in 0..<count {
                    let y = label(s, j)
                    guard y.isFinite else { continue }
                    let diff = Double(pred[s * width + column + j]) - y / scale
                    loss += weight * diff * diff / Double(known)
                    dpred[s * width + column + j] = T(weight * 2 * diff / Double(known))
                }
            }
        }
        mse(column: 0, count: 1, scale: 100, weight: weights.form) { s, _ in labels.form[s] }
        mse(column: 1, count: 6, scale: 180, weight: weights.angles) { s, j in labels.angles[s * 6 + j] }
        mse(column: 7 + k, count: 1, scale: 100, weight: weights.risk) { s, _ in labels.risk[s] }
        // Cross-entropy with a stable softmax.
        let known = labels.exercise.filter { $0 >= 0 }.count
        if known > 0 && weights.exercise != 0 {
            for s in 0..<b where labels.exercise[s] >= 0 {
                let logits = (0..<k).map { Double(pred[s * width + 7 + $0]) }
                let top = logits.max()!
                let exps = logits.map { exp($0 - top) }
                let total = exps.reduce(0, +)
                loss += weights.exercise * -(logits[labels.exercise[s]] - top - log(total)) / Double(known)
                for j in 0..<k {
                    let p = exps[j] / total - (j == labels.exercise[s] ? 1 : 0)
                    dpred[s * width + 7 + j] = T(weights.exercise * p / Double(known))
                }
            }
        }
        return loss
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
