@testable import Model
import BiomechCore
import Testing

@Suite struct TrainerTests {
    @Test func overfitsRandomWindows() throws {
        var config = ModelConfig()
        config.gcnWidths = [8, 8, 8]
        config.embed = 16
        config.hidden = 16
        let b = 32, t = 8
        singleThreadedBLAS()
        let trainer = Trainer<Float>(config: config, batch: b, time: t, seed: 3, threads: 2)
        trainer.optimizer.learningRate = 3e-3
        var random = SeededRandom(seed: 9)
        func uniform() -> Double { random.unit() }
        let x = (0..<b * t * 33 * 3).map { _ in Float(uniform() * 2 - 1) }
        let labels = Labels(form: (0..<b).map { _ in uniform() * 100 }, angles: (0..<b * 6).map { _ in uniform() * 180 },
                            exercise: (0..<b).map { $0 % 5 }, risk: (0..<b).map { _ in uniform() * 100 })
        let first = try trainer.step(x: x, labels: labels).loss
        var last = first
        for _ in 0..<600 { last = try trainer.step(x: x, labels: labels).loss }
        print("overfit 32 random windows: loss \(first) -> \(last) in 600 Adam steps")
        #expect(last < first / 50, "loss \(first) -> \(last)")
    }

    static func trainSmall(threads: Int) throws -> [Float] {
        var config = ModelConfig()
        config.gcnWidths = [8, 8, 8]
        config.embed = 16
        config.hidden = 16
        singleThreadedBLAS()
        let trainer = Trainer<Float>(config: config, batch: 4, time: 6, seed: 8, threads: threads)
        let x: [Float] = (0..<4 * 6 * 99).map { (i: Int) -> Float in Float(i % 23) / 23 - 0.5 }
        let labels = Labels(form: [10, 20, 30, 40], angles: Array(repeating: 90, count: 24), exercise: [0, 1, 2, 3], risk: [5, 6, 7, 8])
        for _ in 0..<5 { try trainer.step(x: x, labels: labels) }
        return Array(trainer.params)
    }

    @Test(arguments: [1, 2, 3])
    func trainingIsDeterministicForAFixedThreadCount(threads: Int) throws {
        let a = try Self.trainSmall(threads: threads), b = try Self.trainSmall(threads: threads)
        #expect(a.withUnsafeBytes { Array($0) } == b.withUnsafeBytes { Array($0) }, "bit-identical with \(threads) threads")
    }

    @Test func threadCountsAgreeUpToRounding() throws {
        let one = try Self.trainSmall(threads: 1), two = try Self.trainSmall(threads: 2)
        let diff = zip(one, two).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
        let size = one.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        print("1 vs 2 threads after 5 Adam steps: relative parameter difference \(diff / size)")
        #expect(diff / size < 1e-5)
    }

    @Test func adamMatchesTheTextbookStep() {
        var adam = Adam()
        adam.learningRate = 0.1
        var p: [Double] = [1.0, -2.0], g: [Double] = [0.5, -0.25], m: [Double] = [0, 0], v: [Double] = [0, 0]
        p.withUnsafeMutableBufferPointer { pp in g.withUnsafeBufferPointer { gg in m.withUnsafeMutableBufferPointer { mm in
            v.withUnsafeMutableBufferPointer { vv in _ = adam.update(params: pp, grads: gg, m: mm, v: vv) } } } }
        // First step: m_hat = g, v_hat = g^2, so each parameter moves by lr * sign(g) (up to eps).
        #expect(abs(p[0] - 0.9) < 1e-6 && abs(p[1] - (-1.9)) < 1e-6)
    }

    @Test func cosineScheduleWarmsUpThenDecays() {
        let s = LearningRateSchedule.cosine(peak: 1, warmup: 10, total: 110, floor: 0.1)
        #expect(abs(s.rate(at: 0) - 0.1) < 1e-12 && abs(s.rate(at: 9) - 1) < 1e-12)
        #expect(abs(s.rate(at: 60) - 0.55) < 1e-12 && abs(s.rate(at: 110) - 0.1) < 1e-12)
    }
}
