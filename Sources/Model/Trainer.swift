import BiomechCore
import Biomechanics

// One flat buffer each for parameters, gradients and Adam's two moments, and the training step.

/// Trains a `GNNLSTM` on batches: forward, loss, backward, Adam.
public final class Trainer<T: BLASScalar> {
    public let model: GNNLSTM<T>
    public let params: UnsafeMutableBufferPointer<T>
    public let grads: UnsafeMutableBufferPointer<T>
    let m: UnsafeMutableBufferPointer<T>, v: UnsafeMutableBufferPointer<T>
    public var optimizer = Adam()
    public var weights = LossWeights()
    var dpred: [T]

    /// `threads`: the model's worker pool (see `WorkerPool`); results are deterministic for a fixed count.
    public init(config: ModelConfig, batch: Int, time: Int, seed: UInt64 = 0, threads: Int = 1) {
        model = GNNLSTM(config: config, batch: batch, time: time, threads: threads)
        let n = model.table.count
        func buffer() -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: n)
            b.initialize(repeating: 0)
            return b
        }
        params = buffer(); grads = buffer(); m = buffer(); v = buffer()
        dpred = [T](repeating: 0, count: batch * model.headWidth)
        Self.initialize(params, table: model.table, config: config, seed: seed)
    }

    deinit { [params, grads, m, v].forEach { $0.deallocate() } }

    /// The exercise class names, in head order (the vocabulary's, `Exercise`).
    public var classNames = ModelConfig.classNames

    /// Initialisation: the ReLU layers (graph layers, embedding) He-uniform, weights in
    /// +-sqrt(6/fan_in) and zero biases, so the signal keeps its size through them (PyTorch's default
    /// shrinks it about 30-fold by the heads: docs/MODEL.md); the heads as PyTorch, uniform in
    /// +-1/sqrt(fan_in); every LSTM tensor uniform in +-1/sqrt(hidden).
    static func initialize(_ params: UnsafeMutableBufferPointer<T>, table: ParameterTable, config: ModelConfig, seed: UInt64) {
        var random = SeededRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        func uniform() -> Double { random.signedUnit() }
        var fanIn = 0
        for entry in table.entries {
            if entry.shape.count == 2 { fanIn = entry.shape[1] }   // a bias follows its weight
            let relu = entry.name.hasPrefix("gcn.") || entry.name.hasPrefix("embed.")
            let bound = entry.name.hasPrefix("lstm.") ? 1 / Double(config.hidden).squareRoot()
                : relu ? (entry.shape.count == 2 ? (6 / Double(fanIn)).squareRoot() : 0) : 1 / Double(fanIn).squareRoot()
            for k in entry.offset..<entry.offset + entry.count { params[k] = T(uniform() * bound) }
        }
    }

    /// One training step on `x` [B, T, V, C]: the batch's figures before the update, and the
    /// gradient norm. Labels that do not fit the batch throw before anything changes.
    @discardableResult
    public func step(x: UnsafePointer<T>, labels: Labels, learningRate: Double? = nil) throws(LabelError) -> StepReport {
        try MultiTaskLoss.validate(labels, b: model.b, k: model.config.classes)
        model.forward(params: UnsafePointer(params.baseAddress!), x: x)
        let figures = try model.predictions.withUnsafeBufferPointer { (pred) throws(LabelError) in
            try dpred.withUnsafeMutableBufferPointer { (d) throws(LabelError) in
                try MultiTaskLoss.evaluate(pred: pred.baseAddress!, dpred: d.baseAddress!, labels: labels, weights: weights,
                                           b: model.b, k: model.config.classes)
            }
        }
        let pool = model.pool, ranges = pool.ranges(grads.count)
        pool.run(tasks: ranges.count) { p in (grads.baseAddress! + ranges[p].lowerBound).update(repeating: 0, count: ranges[p].count) }
        dpred.withUnsafeBufferPointer { d in
            model.backward(params: UnsafePointer(params.baseAddress!), grads: grads.baseAddress!, x: x, dpred: d.baseAddress!, dx: nil)
        }
        let rate = learningRate ?? optimizer.learningRate
        let norm = optimizer.update(params: params, grads: UnsafeBufferPointer(grads), m: m, v: v, learningRate: rate, pool: pool)
        return StepReport(loss: figures.loss(weights: weights), figures: figures, gradientNorm: norm, learningRate: rate)
    }
}

/// What one training step saw and did.
public struct StepReport: Sendable, Equatable {
    /// The batch's loss before the update (`figures.loss(weights:)`).
    public var loss: Double
    /// Each head's sums and counts for the batch, before the update.
    public var figures: LossFigures
    /// The gradient's global L2 norm before clipping.
    public var gradientNorm: Double
    /// The learning rate the update used.
    public var learningRate: Double
}

extension Trainer where T == Float {
    /// `step` for Float, compiled here: generic code called from another module runs
    /// unspecialized (through witness tables), about four times slower; this entry point is the
    /// specialized one for the training workflow.
    @discardableResult
    public func floatStep(x: UnsafePointer<Float>, labels: Labels, learningRate: Double? = nil) throws(LabelError) -> StepReport {
        try step(x: x, labels: labels, learningRate: learningRate)
    }

    /// The current state as a checkpoint.
    public func checkpoint(rngState: UInt64 = 0) -> Checkpoint {
        Checkpoint(config: model.config, classNames: classNames, step: optimizer.step, rngState: rngState,
                   params: Array(params), m: Array(m), v: Array(v))
    }

    /// Restores parameters, moments and step; the checkpoint must have this trainer's dimensions.
    public func load(_ checkpoint: Checkpoint, from path: String = "checkpoint") throws {
        guard checkpoint.header.config == model.config else {
            throw CheckpointError(path: path, reason: "model dimensions differ: checkpoint \(Checkpoint.describe(checkpoint.header.config)), expected \(Checkpoint.describe(model.config))")
        }
        for (name, array) in [("params", checkpoint.params), ("adam_m", checkpoint.m), ("adam_v", checkpoint.v)] where array.count != params.count {
            throw CheckpointError(path: path, field: name, reason: "\(array.count) values, expected \(params.count)")
        }
        try Checkpoint.check(checkpoint.header, path: path)
        _ = params.update(fromContentsOf: checkpoint.params)
        _ = m.update(fromContentsOf: checkpoint.m)
        _ = v.update(fromContentsOf: checkpoint.v)
        optimizer.restore(step: checkpoint.header.step)
        classNames = checkpoint.header.classNames
    }
}
