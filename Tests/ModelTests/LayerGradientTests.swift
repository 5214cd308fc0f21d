import BiomechCore
import Biomechanics
@testable import Model
import Testing

/// Gradients of the layers built so far against central finite differences, in Double.
@Suite struct LayerGradientTests {
    @Test func productionModelHas3188365Parameters() {
        let table = ParameterTable(ModelConfig())
        #expect(table.count == 3_188_365)
        #expect(table["embed.weight"].shape == [256, 33 * 64])
        #expect(table["lstm.weight_ih_l1_reverse"].shape == [1024, 512])
        let last = table.entries.last!
        #expect(last.offset + last.count == table.count)
    }

    /// A tiny stack: GCN (3 -> 4 channels) on F frames of 33 nodes, then Linear (33*4 -> 5), loss 0.5 * sum((y - t)^2).
    struct Tiny {
        let f = 3, v = 33, c = 3, oc = 4, out = 5
        var params: [Double]
        var input: [Double]
        let target: [Double]
        let adjacency = SkeletonGraph.normalizedAdjacency()

        var gcnW: Range<Int> { 0..<oc * c }
        var gcnB: Range<Int> { gcnW.upperBound..<gcnW.upperBound + oc }
        var linW: Range<Int> { gcnB.upperBound..<gcnB.upperBound + out * v * oc }
        var linB: Range<Int> { linW.upperBound..<linW.upperBound + out }

        init(seed: UInt64) {
            var random = SeededRandom(seed: seed)
            func next() -> Double { random.signedUnit() }
            params = (0..<(4 * 3 + 4 + 5 * 33 * 4 + 5)).map { _ in next() * 0.5 }
            input = (0..<(3 * 33 * 3)).map { _ in next() }
            target = (0..<(3 * 5)).map { _ in next() }
        }

        /// Loss, and (when asked) gradients of the parameters and the input.
        func run(gradients: Bool) -> (loss: Double, dparams: [Double], dinput: [Double]) {
            var h = [Double](repeating: 0, count: f * v * oc), xw = h, y = [Double](repeating: 0, count: f * out)
            params.withUnsafeBufferPointer { p in
                GraphConv.forward(out: &h, xw: &xw, inp: input, weight: p.baseAddress! + gcnW.lowerBound,
                                  bias: p.baseAddress! + gcnB.lowerBound, adjacency: adjacency, f: f, v: v, c: c, oc: oc)
                Linear.forward(out: &y, inp: h, weight: p.baseAddress! + linW.lowerBound, bias: p.baseAddress! + linB.lowerBound,
                               n: f, c: v * oc, oc: out)
            }
            let loss = zip(y, target).map { 0.5 * ($0 - $1) * ($0 - $1) }.reduce(0, +)
            guard gradients else { return (loss, [], []) }
            var dy = zip(y, target).map { $0 - $1 }
            var dparams = [Double](repeating: 0, count: params.count), dinput = [Double](repeating: 0, count: input.count)
            var dh = [Double](repeating: 0, count: h.count), dxw = dh
            params.withUnsafeBufferPointer { p in
                dparams.withUnsafeMutableBufferPointer { d in
                    Linear.backward(dinp: &dh, dweight: d.baseAddress! + linW.lowerBound, dbias: d.baseAddress! + linB.lowerBound,
                                    dout: &dy, inp: h, weight: p.baseAddress! + linW.lowerBound, n: f, c: v * oc, oc: out)
                    GraphConv.backward(dinp: &dinput, dweight: d.baseAddress! + gcnW.lowerBound, dbias: d.baseAddress! + gcnB.lowerBound,
                                       dout: &dh, dxw: &dxw, out: h, inp: input, weight: p.baseAddress! + gcnW.lowerBound,
                                       adjacency: adjacency, f: f, v: v, c: c, oc: oc)
                }
            }
            return (loss, dparams, dinput)
        }
    }

    /// Relative error, with gradients below 1e-6 compared absolutely (finite differences cannot resolve them relatively).
    func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(1e-6, abs(a) + abs(b)) }

    @Test func graphConvAndLinearMatchFiniteDifferences() {
        var model = Tiny(seed: 11)
        let analytic = model.run(gradients: true)
        let eps = 1e-5
        var worst = 0.0
        /// Central difference of the loss along one coordinate, reached through `value`.
        func numeric(_ value: WritableKeyPath<Tiny, [Double]>, _ i: Int) -> Double {
            let saved = model[keyPath: value][i]
            model[keyPath: value][i] = saved + eps
            let up = model.run(gradients: false).loss
            model[keyPath: value][i] = saved - eps
            let down = model.run(gradients: false).loss
            model[keyPath: value][i] = saved
            return (up - down) / (2 * eps)
        }
        for i in model.params.indices { worst = max(worst, relativeError(numeric(\.params, i), analytic.dparams[i])) }
        for i in model.input.indices { worst = max(worst, relativeError(numeric(\.input, i), analytic.dinput[i])) }
        print("graph conv + linear: largest relative gradient error \(worst)")
        #expect(worst <= 1e-6, "largest relative error \(worst)")
    }

    @Test func floatAgreesWithDouble() {
        let n = 7, c = 9, oc = 5
        let x = (0..<n * c).map { Double($0 % 13) / 13 - 0.4 }, w = (0..<oc * c).map { Double($0 % 7) / 7 - 0.5 }, b = (0..<oc).map { Double($0) / 10 }
        var yd = [Double](repeating: 0, count: n * oc), yf = [Float](repeating: 0, count: n * oc)
        Linear.forward(out: &yd, inp: x, weight: w, bias: b, n: n, c: c, oc: oc)
        Linear.forward(out: &yf, inp: x.map(Float.init), weight: w.map(Float.init), bias: b.map(Float.init), n: n, c: c, oc: oc)
        for (a, b) in zip(yd, yf) { #expect(abs(a - Double(b)) <= 1e-5 * max(1, abs(a))) }
    }
}
