import BiomechCore
import Foundation
import Model
import Shards

/// Why training or evaluation cannot start: a shard folder or checkpoint that does not fit. Exit code 2.
public struct TrainingError: BiomechError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var exitCode: Int32 { ExitStatus.usage }
    public var description: String { message }
}

/// Runs a checkpoint's inference path over one split folder and measures the four figures.
public enum Evaluator {
    /// Opens `checkpoint` and `split` and checks they fit each other: every problem is a `TrainingError`.
    public static func open(checkpoint: URL, split: URL, verify: Bool = false) throws -> (Checkpoint, ShardReader) {
        let model: Checkpoint
        do { model = try Checkpoint.read(from: checkpoint) } catch {
            throw TrainingError("\(error)")
        }
        let reader: ShardReader
        do {
            reader = try ShardReader(folder: split)
            if verify { try reader.verify() }
        } catch {
            throw TrainingError("\(error)")
        }
        guard reader.index.exercises == model.header.classNames else {
            throw TrainingError("\(split.path)/index.json: exercise classes \(reader.index.exercises), but \(checkpoint.path) was trained on "
                                + "\(model.header.classNames); window with the same vocabulary or use a matching checkpoint")
        }
        if let window = model.header.window, window != reader.window {
            throw TrainingError("\(split.path): windows of \(reader.window) frames, but \(checkpoint.path) was trained on \(window)-frame windows")
        }
        guard reader.count > 0 else {
            throw TrainingError("\(split.path): the split has no windows (index.json says 0); nothing to evaluate")
        }
        return (model, reader)
    }

    /// The metrics of `model` on every window of `reader`, `batch` windows at a time (no augmentation).
    public static func evaluate(_ model: Checkpoint, on reader: ShardReader, batch: Int = 64, threads: Int = 1,
                                progress: (Int) -> Void = { _ in }) throws -> EvaluationMetrics {
        let inference = try InferenceModel(checkpoint: model, threads: threads)
        return try measure(inference, on: reader, batch: batch, progress: progress).metrics
    }

    /// One pass of `model` over every window of `reader`: the loss figures (the training loss's
    /// terms, weights applied later) and the four metrics. Validation and `evaluate` both use it.
    static func measure(_ model: InferenceModel, on reader: ShardReader, batch: Int = 64,
                        progress: (Int) -> Void = { _ in }) throws -> (figures: LossFigures, metrics: EvaluationMetrics) {
        var accumulator = MetricsAccumulator(classNames: model.classNames)
        var figures = LossFigures()
        for start in stride(from: 0, to: reader.count, by: batch) {
            let rows = Array(start..<min(start + batch, reader.count))
            let data = BatchAssembler.batch(rows.map(reader.window), window: reader.window)
            let predictions = try model.predict(data.x, batch: rows.count, time: reader.window)
            var dpred = [Float](repeating: 0, count: predictions.raw.count)
            let part = try predictions.raw.withUnsafeBufferPointer { pred in
                try dpred.withUnsafeMutableBufferPointer { d in
                    try MultiTaskLoss.evaluate(pred: pred.baseAddress!, dpred: d.baseAddress!, labels: data.labels, weights: LossWeights(),
                                               b: rows.count, k: model.config.classes)
                }
            }
            figures.add(part)
            accumulator.add(form: predictions.form, angles: predictions.angles, logits: predictions.logits, risk: predictions.risk,
                            labels: data.labels)
            progress(start + rows.count)
        }
        return (figures, accumulator.metrics)
    }
}
