@testable import Model
import BiomechCore
import Testing

/// The whole model and its loss against central finite differences, in Double, on a tiny
/// configuration: B=2, T=4, all 33 nodes, both LSTM directions and layers, every head, some labels masked.
@Suite struct ModelGradientTests {
    static var tinyConfig: ModelConfig {
        var c = ModelConfig()
        c.gcnWidths = [4, 3, 4]
        c.embed = 6
        c.hidden = 3
        return c
    }

    static let labels = Labels(form: [72, .nan], angles: [90, 120, .nan, 100, 60, 170, 80, 95, 150, .nan, 45, 10],
                               exercise: [-1, 3], risk: [35, 80])

    static func random(_ count: Int, seed: UInt64, scale: Double) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in random.signedUnit() * scale }
    }

    func loss(_ model: GNNLSTM<Double>, _ params: [Double], _ x: [Double], dpred: inout [Double]) -> Double {
        params.withUnsafeBufferPointer { p in x.withUnsafeBufferPointer { model.forward(params: p.baseAddress!, x: $0.baseAddress!) } }
        let figures = model.predictions.withUnsafeBufferPointer { pred in
            dpred.withUnsafeMutableBufferPointer { d in
                try! MultiTaskLoss.evaluate(pred: pred.baseAddress!, dpred: d.baseAddress!, labels: Self.labels, weights: LossWeights(),
                                            b: model.b, k: model.config.classes)
            }
        }
        return figures.loss(weights: LossWeights())
    }

    @Test func everyGradientMatchesFiniteDifferences() {
        singleThreadedBLAS()
        let model = GNNLSTM<Double>(config: Self.tinyConfig, batch: 2, time: 4)
        var params = Self.random(model.table.count, seed: 1, scale: 0.3)
        var x = Self.random(2 * 4 * 33 * 3, seed: 2, scale: 1)
        var dpred = [Double](repeating: 0, count: 2 * model.headWidth)
        _ = loss(model, params, x, dpred: &dpred)
        var grads = [Double](repeating: 0, count: params.count), dx = [Double](repeating: 0, count: x.count)
        params.withUnsafeBufferPointer { p in
            grads.withUnsafeMutableBufferPointer { g in
                dx.withUnsafeMutableBufferPointer { d in
                    model.backward(params: p.baseAddress!, grads: g.baseAddress!, x: x, dpred: dpred, dx: d.baseAddress!)
                }
            }
        }
        // Five-point central differences (error O(eps^4)). The input's gradient is small after three
        // graph layers, so its step is larger, to keep roundoff in the loss below the signal.
        var scratch = dpred
        func numeric(eps: Double = 1e-4, _ bump: (Double) -> Void) -> Double {
            var values: [Double] = []
            for step in [2.0, 1, -1, -2] {
                bump(step * eps)
                values.append(loss(model, params, x, dpred: &scratch))
                bump(-step * eps)
            }
            return (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * eps)
        }
        /// Relative error of a whole tensor: |a - b| / (|a| + |b|) over its elements (norm-wise).
        func error(_ a: [Double], _ b: [Double]) -> Double {
            let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let size = a.map { $0 * $0 }.reduce(0, +).squareRoot() + b.map { $0 * $0 }.reduce(0, +).squareRoot()
            return size == 0 ? 0 : diff / size
        }
        var worstPerTensor: [String: Double] = [:]
        for entry in model.table.entries {
            let range = entry.offset..<entry.offset + entry.count
            let numbers = range.map { k in numeric { params[k] += $0 } }
            worstPerTensor[entry.name] = error(numbers, Array(grads[range]))
            #expect(grads[range].contains { $0 != 0 }, "\(entry.name) has no gradient at all")
        }
        let worstInput = error(x.indices.map { k in numeric(eps: 1e-3) { x[k] += $0 } }, dx)
        let worst = max(worstInput, worstPerTensor.values.max()!)
        print("full model: largest relative gradient error \(worst) (input \(worstInput)) over \(worstPerTensor.count) tensors")
        for (name, e) in worstPerTensor { #expect(e <= 1e-6, "\(name): \(e)") }
        #expect(worstInput <= 1e-6)
        func percentPositive(_ p: UnsafePointer<Double>, _ count: Int) -> Int { UnsafeBufferPointer(start: p, count: count).filter { $0 > 0 }.count * 100 / count }
        let frames = model.b * model.t
        let alive = zip(model.gcnOut, model.config.gcnWidths).map { percentPositive($0, frames * 33 * $1) }
        print("graph layers: percent of outputs above zero \(alive); embedding \(percentPositive(model.embed, frames * model.config.embed))")
        #expect(alive.allSatisfy { $0 > 10 }, "the check must run through live ReLUs")
        #expect(dx.contains { abs($0) > 1e-6 }, "the input gradient must not vanish")
        // Masked labels really drop out, and only for their own sample and value: sample 2's form,
        // sample 1's exercise (class -1), angle 2 of sample 1 and angle 3 of sample 2 get no gradient.
        let w = model.headWidth, k = model.config.classes
        #expect(dpred[w] == 0 && dpred[0] != 0, "form")
        #expect(dpred[7..<7 + k].allSatisfy { $0 == 0 } && dpred[w + 7..<w + 7 + k].allSatisfy { $0 != 0 }, "exercise")
        #expect(dpred[1 + 2] == 0 && dpred[w + 1 + 3] == 0, "masked angles")
        #expect(dpred[1..<7].filter { $0 != 0 }.count == 5 && dpred[w + 1..<w + 7].filter { $0 != 0 }.count == 5, "known angles")
    }
}
