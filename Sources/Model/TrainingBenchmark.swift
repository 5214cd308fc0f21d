import BiomechCore
/// Training throughput on random 60-frame windows (what `biomech-train bench` reports).
///
/// Lives in this module so the Float instantiation of the trainer is specialized here; generic
/// code called from another module would run unspecialized, several times slower.
public enum TrainingBenchmark {
    /// Forward and backward cost of one 60-frame sample of the production model, in GFLOP.
    public static let gflopPerSample = 1.31

    /// The machine's sgemm rate in GFLOP/s: the best of a few 2048^3 multiplications.
    public static func sgemmPeak() -> Double {
        let n = 2048
        let a = [Float](repeating: 0.5, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = 0.0
        for _ in 0..<4 {
            let start = ContinuousClock.now
            Float.gemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: a, ldb: n, beta: 0, c: &c, ldc: n)
            let d = ContinuousClock.now - start
            let seconds = d.inSeconds
            best = max(best, 2 * Double(n * n * n) / seconds / 1e9)
        }
        return best
    }

    /// Trains for about `seconds` on `threads` threads after three warm-up steps; returns samples per second and the parameter count.
    public static func run(batch: Int, seconds: Double, threads: Int, config: ModelConfig = ModelConfig()) throws -> (samplesPerSecond: Double, parameters: Int) {
        let time = 60
        let trainer = Trainer<Float>(config: config, batch: batch, time: time, seed: 0, threads: threads)
        var random = SeededRandom(seed: 1)
        func uniform() -> Float { Float(random.unit()) }
        let x = (0..<batch * time * config.landmarks * config.inputChannels).map { _ in uniform() * 2 - 1 }
        let labels = Labels(form: (0..<batch).map { _ in Double(uniform()) * 100 },
                            angles: (0..<batch * 6).map { _ in Double(uniform()) * 180 },
                            exercise: (0..<batch).map { $0 % config.classes }, risk: (0..<batch).map { _ in Double(uniform()) * 100 })
        for _ in 0..<3 { try trainer.step(x: x, labels: labels) }
        let start = ContinuousClock.now
        var steps = 0, elapsed = 0.0
        repeat {
            try trainer.step(x: x, labels: labels)
            steps += 1
            let d = ContinuousClock.now - start
            elapsed = d.inSeconds
        } while elapsed < seconds
        return (Double(steps * batch) / elapsed, trainer.model.table.count)
    }
}
