@testable import Model
import BiomechCore
import Testing

/// The production dimensions in Float agree with Double (forward and every gradient tensor).
@Suite struct PrecisionTests {
    @Test func floatMatchesDoubleOnTheFullConfiguration() {
        let config = ModelConfig(), b = 2, t = 8
        singleThreadedBLAS()
        let single = Trainer<Float>(config: config, batch: b, time: t, seed: 5)
        let params = Array(single.params)
        var random = SeededRandom(seed: 3)
        let x: [Double] = (0..<b * t * 33 * 3).map { _ in random.signedUnit() }
        let labels = Labels(form: [60, .nan], angles: [100, 90, 80, 170, 45, .nan, 120, 130, 140, 150, 160, 170],
                            exercise: [2, -1], risk: [30, 70])
        func run<T: BLASScalar>(_ type: T.Type) -> (pred: [Double], grads: [Double]) {
            let model = GNNLSTM<T>(config: config, batch: b, time: t)
            let p = params.map { T(Double($0)) }, xs = x.map { T($0) }
            var dpred = [T](repeating: 0, count: b * model.headWidth)
            var grads = [T](repeating: 0, count: p.count)
            p.withUnsafeBufferPointer { pp in
                xs.withUnsafeBufferPointer { xx in
                    model.forward(params: pp.baseAddress!, x: xx.baseAddress!)
                    model.predictions.withUnsafeBufferPointer { pred in
                        _ = try! MultiTaskLoss.evaluate(pred: pred.baseAddress!, dpred: &dpred, labels: labels, weights: LossWeights(),
                                                   b: b, k: config.classes)
                    }
                    grads.withUnsafeMutableBufferPointer { g in
                        model.backward(params: pp.baseAddress!, grads: g.baseAddress!, x: xx.baseAddress!, dpred: dpred, dx: nil)
                    }
                }
            }
            return (model.predictions.map { Double($0) }, grads.map { Double($0) })
        }
        let f = run(Float.self), d = run(Double.self)
        func relative(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
            let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let size = b.map { $0 * $0 }.reduce(0, +).squareRoot()
            return size == 0 ? diff : diff / size
        }
        #expect(relative(f.pred[...], d.pred[...]) <= 1e-4)
        var worst = 0.0
        for entry in single.model.table.entries {
            let r = entry.offset..<entry.offset + entry.count
            let e = relative(f.grads[r], d.grads[r])
            worst = max(worst, e)
            #expect(e <= 1e-4, "\(entry.name): \(e)")
        }
        print("Float vs Double, production dimensions: largest relative gradient difference \(worst)")
    }
}
