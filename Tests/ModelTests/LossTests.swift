import BiomechCore
import Foundation
@testable import Model
import Testing

/// The loss's label checks and the per-head figures, against values computed here independently.
@Suite struct LossTests {
    static let k = 5, b = 4
    static var width: Int { 8 + k }

    /// Random predictions [B, 8 + K] in the heads' layout.
    static func predictions(seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<b * width).map { _ in random.signedUnit() }
    }

    static let labels = Labels(form: [80, .nan, 20, 55], angles: (0..<24).map { $0 % 5 == 2 ? .nan : Double($0 * 7) },
                               exercise: [3, -1, 0, 4], risk: [10, 90, .nan, 40])

    func evaluate(_ labels: Labels, pred: [Double], weights: LossWeights = LossWeights()) throws(LabelError) -> (LossFigures, [Double]) {
        var dpred = [Double](repeating: 0, count: pred.count)
        let b = pred.count / Self.width
        let figures = try MultiTaskLoss.evaluate(pred: pred, dpred: &dpred, labels: labels, weights: weights, b: b, k: Self.k)
        return (figures, dpred)
    }

    @Test(arguments: [5, 99, -2, Int.min])
    func anExerciseIndexOutsideTheClassesIsAnError(index: Int) {
        var labels = Self.labels
        labels.exercise[2] = index
        #expect(throws: LabelError(head: "exercise", row: 2, reason: "class index \(index); expected 0..<5, or -1 for unknown")) {
            try evaluate(labels, pred: Self.predictions(seed: 1))
        }
    }

    @Test func labelArraysOfTheWrongLengthAreErrors() {
        var short = Self.labels
        short.form.removeLast()
        #expect(throws: LabelError(head: "form", row: nil, reason: "3 values for a batch of 4, expected 4")) { try evaluate(short, pred: Self.predictions(seed: 1)) }
        var angles = Self.labels
        angles.angles.append(1)
        #expect(throws: LabelError(head: "angles", row: nil, reason: "25 values for a batch of 4, expected 24")) { try evaluate(angles, pred: Self.predictions(seed: 1)) }
        var exercise = Self.labels
        exercise.exercise = [0]
        #expect(throws: LabelError.self) { try evaluate(exercise, pred: Self.predictions(seed: 1)) }
        var risk = Self.labels
        risk.risk = []
        #expect(throws: LabelError.self) { try evaluate(risk, pred: Self.predictions(seed: 1)) }
    }

    @Test func anInfiniteLabelIsAnErrorNotAnUnknownOne() {
        var labels = Self.labels
        labels.angles[13] = -.infinity
        #expect(throws: LabelError(head: "angles", row: 2, reason: "value -inf; expected a finite number, or NaN for unknown")) {
            try evaluate(labels, pred: Self.predictions(seed: 1))
        }
    }

    @Test func figuresMatchAnIndependentComputation() throws {
        let pred = Self.predictions(seed: 7), l = Self.labels, w = Self.width, k = Self.k
        var weights = LossWeights()
        weights.angles = 0.5; weights.risk = 2
        let (f, _) = try evaluate(l, pred: pred, weights: weights)
        // Form: rows 0, 2, 3 known.
        let formRows = [0, 2, 3]
        #expect(f.form.count == 3)
        #expect(close(f.form.absoluteErrorSum, formRows.map { abs(pred[$0 * w] * 100 - l.form[$0]) }.reduce(0, +)))
        let formLoss = formRows.map { pow(pred[$0 * w] - l.form[$0] / 100, 2) }.reduce(0, +) / 3
        #expect(close(f.form.loss, formLoss))
        // Angles: every value whose index is 2 mod 5 is unknown (5 of 24).
        var angleAbs = 0.0, angleSquares = 0.0, angleCount = 0
        for s in 0..<4 { for j in 0..<6 where (s * 6 + j) % 5 != 2 {
            angleCount += 1
            angleAbs += abs(pred[s * w + 1 + j] * 180 - l.angles[s * 6 + j])
            angleSquares += pow(pred[s * w + 1 + j] - l.angles[s * 6 + j] / 180, 2)
        } }
        #expect(f.angles.count == 19 && angleCount == 19)
        #expect(close(f.angles.absoluteErrorSum, angleAbs) && close(f.angles.loss, angleSquares / 19))
        // Risk: rows 0, 1, 3 known.
        #expect(f.risk.count == 3)
        #expect(close(f.risk.absoluteErrorSum, [0, 1, 3].map { abs(pred[$0 * w + 7 + k] * 100 - l.risk[$0]) }.reduce(0, +)))
        // Exercise: rows 0, 2, 3 known; cross-entropy by log-sum-exp, correct by the largest logit.
        var entropy = 0.0, correct = 0
        for s in [0, 2, 3] {
            let logits = Array(pred[s * w + 7..<s * w + 7 + k])
            entropy += log(logits.map { exp($0) }.reduce(0, +)) - logits[l.exercise[s]]
            if logits.indices.max(by: { logits[$0] < logits[$1] }) == l.exercise[s] { correct += 1 }
        }
        #expect(f.exercise.count == 3 && f.exercise.correct == correct && close(f.exercise.crossEntropySum, entropy))
        #expect(f.samples == 4)
        let total = formLoss + 0.5 * angleSquares / 19 + 2 * f.risk.loss + entropy / 3
        #expect(close(f.loss(weights: weights), total))
    }

    @Test func theCorrectCountSeesAKnownWinner() throws {
        // Logits that make sample 0 right (class 3 largest) and sample 1 wrong (class 0 largest, label 4).
        var pred = [Double](repeating: 0, count: 2 * Self.width)
        pred[7 + 3] = 2
        pred[Self.width + 7 + 0] = 2
        let labels = Labels(form: [.nan, .nan], angles: Array(repeating: .nan, count: 12), exercise: [3, 4], risk: [.nan, .nan])
        let (f, dpred) = try evaluate(labels, pred: pred)
        #expect(f.exercise.count == 2 && f.exercise.correct == 1 && f.exercise.accuracy == 0.5)
        #expect(f.form.count == 0 && f.form.meanAbsoluteError == nil && f.form.loss == 0)
        #expect(dpred[0] == 0 && dpred[Self.width] == 0, "no form gradient without a form label")
    }

    @Test func figuresOfTwoHalvesAddUpToTheWhole() throws {
        let pred = Self.predictions(seed: 3), l = Self.labels, w = Self.width
        func half(_ rows: Range<Int>) -> Labels {
            Labels(form: Array(l.form[rows]), angles: Array(l.angles[rows.lowerBound * 6..<rows.upperBound * 6]),
                   exercise: Array(l.exercise[rows]), risk: Array(l.risk[rows]))
        }
        let (whole, _) = try evaluate(l, pred: pred)
        var (sum, _) = try evaluate(half(0..<2), pred: Array(pred[0..<2 * w]))
        sum.add(try evaluate(half(2..<4), pred: Array(pred[2 * w..<4 * w])).0)
        #expect(sum.samples == whole.samples && sum.form.count == whole.form.count && sum.angles.count == whole.angles.count)
        #expect(sum.exercise.count == whole.exercise.count && sum.exercise.correct == whole.exercise.correct && sum.risk.count == whole.risk.count)
        #expect(close(sum.angles.squaredErrorSum, whole.angles.squaredErrorSum) && close(sum.exercise.crossEntropySum, whole.exercise.crossEntropySum))
        #expect(close(sum.loss(weights: LossWeights()), whole.loss(weights: LossWeights())))
    }

    @Test func theStepReportsTheGradientNormBeforeClipping() throws {
        singleThreadedBLAS()
        var config = ModelConfig()
        config.gcnWidths = [4, 4, 4]; config.embed = 8; config.hidden = 4
        let trainer = Trainer<Float>(config: config, batch: 2, time: 3, seed: 2, threads: 2)
        trainer.optimizer.clipNorm = 1e-3
        let x: [Float] = (0..<2 * 3 * 99).map { (i: Int) -> Float in Float(i % 13) / 13 - 0.5 }
        let labels = Labels(form: [50, 70], angles: Array(repeating: 90, count: 12), exercise: [1, 4], risk: [20, .nan])
        let report = try trainer.step(x: x, labels: labels, learningRate: 0.01)
        // The gradient buffer still holds this step's gradient: its norm, summed here in one pass.
        var squares = 0.0
        for g in trainer.grads { squares += Double(g) * Double(g) }
        let norm = squares.squareRoot()
        #expect(norm > 1e-3 && close(report.gradientNorm, norm), "\(report.gradientNorm) vs \(norm)")
        #expect(report.learningRate == 0.01 && report.loss == report.figures.loss(weights: trainer.weights))
    }

    @Test func aStepWithBadLabelsChangesNothing() throws {
        singleThreadedBLAS()
        var config = ModelConfig()
        config.gcnWidths = [4, 4, 4]; config.embed = 8; config.hidden = 4
        let trainer = Trainer<Float>(config: config, batch: 2, time: 3, seed: 2)
        let before = Array(trainer.params)
        let x = [Float](repeating: 0.1, count: 2 * 3 * 99)
        let labels = Labels(form: [50, 70], angles: Array(repeating: 90, count: 12), exercise: [1, 5], risk: [20, 30])
        #expect(throws: LabelError.self) { try trainer.step(x: x, labels: labels) }
        #expect(Array(trainer.params) == before && trainer.optimizer.step == 0)
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }
}
