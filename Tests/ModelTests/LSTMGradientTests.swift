@testable import Model
import BiomechCore
import Testing

/// One LSTM direction, forward and reverse in time, against central finite differences in Double.
@Suite struct LSTMGradientTests {
    struct Case {
        let b = 2, t = 4, i = 3, h = 2
        var params: [Double]   // w_ih [4H, I] | w_hh [4H, H] | bias [4H]
        var x: [Double]
        let target: [Double]
        let reverse: Bool

        init(reverse: Bool, seed: UInt64) {
            self.reverse = reverse
            var random = SeededRandom(seed: seed)
            func next() -> Double { random.signedUnit() }
            params = (0..<(8 * 3 + 8 * 2 + 8)).map { _ in next() }
            x = (0..<(2 * 4 * 3)).map { _ in next() }
            target = (0..<(2 * 4 * 2)).map { _ in next() }
        }

        /// Loss 0.5 * |h - target|^2 over every step; rows are time-major as the layer expects.
        func run(gradients: Bool) -> (loss: Double, dparams: [Double], dx: [Double]) {
            let state = LSTMState<Double>(b: b, t: t, hidden: h)
            var out = [Double](repeating: 0, count: b * t * h)
            params.withUnsafeBufferPointer { p in
                LSTMDirection.forward(state: state, x: x, wih: p.baseAddress!, whh: p.baseAddress! + 24, bias: p.baseAddress! + 40,
                                      out: &out, ldo: h, i: i, reverse: reverse)
            }
            let loss = zip(out, target).map { 0.5 * ($0 - $1) * ($0 - $1) }.reduce(0, +)
            guard gradients else { return (loss, [], []) }
            let dh = zip(out, target).map { $0 - $1 }
            var dparams = [Double](repeating: 0, count: params.count), dx = [Double](repeating: 0, count: x.count)
            params.withUnsafeBufferPointer { p in
                dparams.withUnsafeMutableBufferPointer { d in
                    LSTMDirection.backward(state: state, dout: dh, lddo: h, x: x, out: out, ldo: h, wih: p.baseAddress!,
                                           whh: p.baseAddress! + 24, dwih: d.baseAddress!, dwhh: d.baseAddress! + 24,
                                           dbias: d.baseAddress! + 40, i: i, reverse: reverse)
                }
                LSTMDirection.addInputGradient(dx: &dx, state: state, wih: p.baseAddress!, rows: 0..<b * t, i: i, accumulate: true)
            }
            return (loss, dparams, dx)
        }
    }

    @Test(arguments: [false, true])
    func matchesFiniteDifferences(reverse: Bool) {
        var c = Case(reverse: reverse, seed: reverse ? 5 : 9)
        let analytic = c.run(gradients: true)
        let eps = 1e-5
        var worst = 0.0
        func check(_ numeric: Double, _ exact: Double) { worst = max(worst, abs(numeric - exact) / max(1e-6, abs(numeric) + abs(exact))) }
        for k in c.params.indices {
            let saved = c.params[k]
            c.params[k] = saved + eps; let up = c.run(gradients: false).loss
            c.params[k] = saved - eps; let down = c.run(gradients: false).loss
            c.params[k] = saved
            check((up - down) / (2 * eps), analytic.dparams[k])
        }
        for k in c.x.indices {
            let saved = c.x[k]
            c.x[k] = saved + eps; let up = c.run(gradients: false).loss
            c.x[k] = saved - eps; let down = c.run(gradients: false).loss
            c.x[k] = saved
            check((up - down) / (2 * eps), analytic.dx[k])
        }
        print("LSTM (reverse: \(reverse)): largest relative gradient error \(worst)")
        #expect(worst <= 1e-6, "largest relative error \(worst)")
    }
}
