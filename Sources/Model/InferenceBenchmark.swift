import BiomechCore

/// Inference latency per 60-frame window at batch 1 (what `biomech-train bench --inference`
/// reports, beside onnxruntime's in scripts/bench-onnx.sh).
public enum InferenceBenchmark {
    /// Median and 90th-percentile milliseconds of `InferenceModel.predict` on one random window,
    /// over about `seconds` after ten warm-up calls, and the number of calls timed.
    public static func run(seconds: Double, threads: Int, config: ModelConfig = ModelConfig()) throws -> (medianMs: Double, p90Ms: Double, runs: Int) {
        let trainer = Trainer<Float>(config: config, batch: 1, time: 1, seed: 0)
        let model = try InferenceModel(config: config, params: Array(trainer.params), threads: threads)
        var random = SeededRandom(seed: 1)
        let x = (0..<60 * config.landmarks * config.inputChannels).map { _ in Float(random.unit()) * 2 - 1 }
        for _ in 0..<10 { _ = try model.predict(x, batch: 1, time: 60) }
        var times: [Double] = []
        let start = ContinuousClock.now
        repeat {
            let before = ContinuousClock.now
            _ = try model.predict(x, batch: 1, time: 60)
            times.append((ContinuousClock.now - before).inSeconds * 1000)
        } while (ContinuousClock.now - start).inSeconds < seconds || times.count < 20
        times.sort()
        return (times[times.count / 2], times[min(times.count - 1, times.count * 9 / 10)], times.count)
    }
}
