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

    /// PyTorch's default initialisation: every Linear weight and bias uniform in +-1/sqrt(fan_in),
    /// every LSTM tensor uniform in +-1/sqrt(hidden).
    static func initialize(_ params: UnsafeMutableBufferPointer<T>, table: ParameterTable, config: ModelConfig, seed: UInt64) {
        var random = SeededUniform(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        func uniform() -> Double { random.next() }
        var fanIn = 0
        for entry in table.entries {
            if entry.shape.count == 2 { fanIn = entry.shape[1] }   // a bias follows its weight
            let bound = entry.name.hasPrefix("lstm.") ? 1 / Double(config.hidden).squareRoot() : 1 / Double(fanIn).squareRoot()
            for k in entry.offset..<entry.offset + entry.count { params[k] = T(uniform() * bound) }
        }
    }

    /// One training step on `x` [B, T, V, C]; returns the loss before the update.
    @discardableResult
    public func step(x: UnsafePointer<T>, labels: Labels, learningRate: Double? = nil) -> Double {
        model.forward(params: UnsafePointer(params.baseAddress!), x: x)
        let loss = model.predictions.withUnsafeBufferPointer { pred in
            dpred.withUnsafeMutableBufferPointer { d in
                MultiTaskLoss.evaluate(pred: pred.baseAddress!, dpred: d.baseAddress!, labels: labels, weights: weights,
                                       b: model.b, k: model.config.classes)
            }
        }
        let pool = model.pool, ranges = pool.ranges(grads.count)
        pool.run(tasks: ranges.count) { p in (grads.baseAddress! + ranges[p].lowerBound).update(repeating: 0, count: ranges[p].count) }
        dpred.withUnsafeBufferPointer { d in
            model.backward(params: UnsafePointer(params.baseAddress!), grads: grads.baseAddress!, x: x, dpred: d.baseAddress!, dx: nil)
        }
        optimizer.update(params: params, grads: UnsafeBufferPointer(grads), m: m, v: v, learningRate: learningRate, pool: pool)
        return loss
    }
}

extension Trainer where T == Float {
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
        _ = params.update(fromContentsOf: checkpoint.params)
        _ = m.update(fromContentsOf: checkpoint.m)
        _ = v.update(fromContentsOf: checkpoint.v)
        optimizer.restore(step: checkpoint.header.step)
        classNames = checkpoint.header.classNames
    }
}
