// Forward only, for any batch size and length: the analyze stage's and evaluation's model.
// Shape key: B batch, T time, V landmarks (33), C input channels (3), K classes.
// Input x [B, T, V, C]; outputs per sample: form, 6 angles, K logits (and their softmax), risk.
// It runs the training model's own forward pass (GNNLSTM built without backward buffers), so its
// outputs are those of training, bit for bit, for the same thread count.

/// Input or parameters the inference model cannot use: names the field and what was expected.
public struct InferenceError: Error, Equatable, CustomStringConvertible {
    public var field: String
    public var reason: String
    public var description: String { "inference: \(field): \(reason)" }
}

/// The four heads' outputs for a batch, in the labels' units.
public struct Predictions: Sendable, Equatable {
    public let batch: Int, classes: Int
    /// Form score 0-100, [B].
    public let form: [Float]
    /// Joint angles in degrees, [B, 6].
    public let angles: [Float]
    /// Exercise logits and their softmax, [B, K] each, in `classNames` order.
    public let logits: [Float], probabilities: [Float]
    /// Injury risk 0-100, [B].
    public let risk: [Float]
    /// The heads' raw outputs [B, 8 + K] (form/100, angles/180, logits, risk/100): what the loss sees.
    public let raw: [Float]

    init(raw: [Float], batch b: Int, classes k: Int) {
        let w = 8 + k
        batch = b; classes = k; self.raw = raw
        form = (0..<b).map { raw[$0 * w] * 100 }
        angles = (0..<b * 6).map { raw[($0 / 6) * w + 1 + $0 % 6] * 180 }
        logits = (0..<b * k).map { raw[($0 / k) * w + 7 + $0 % k] }
        risk = (0..<b).map { raw[$0 * w + 7 + k] * 100 }
        var p = [Float](repeating: 0, count: b * k)
        for s in 0..<b {
            let row = logits[s * k..<(s + 1) * k].map(Double.init), top = row.max()!
            let exps = row.map { exp($0 - top) }, total = exps.reduce(0, +)
            for j in 0..<k { p[s * k + j] = Float(exps[j] / total) }
        }
        probabilities = p
    }
}

/// The GNN-LSTM's forward pass for any B and T, with no gradient or backward buffer allocated.
///
/// Holds the parameters and one forward workspace, kept while the shape repeats and rebuilt when
/// it changes. Not thread-safe: one caller at a time. OpenBLAS's thread count is the caller's
/// (`BLASThreads.set(1)`).
public final class InferenceModel {
    public let config: ModelConfig
    public let table: ParameterTable
    /// Class names in head order.
    public let classNames: [String]
    private let params: [Float]
    private let pool: WorkerPool
    private var model: GNNLSTM<Float>?

    /// `params` laid out by `ParameterTable(config)`; `threads` is the model's own worker pool.
    public init(config: ModelConfig, params: [Float], classNames: [String]? = nil, threads: Int = 1) throws(InferenceError) {
        if let (field, reason) = config.problem { throw InferenceError(field: "config.\(field)", reason: reason) }
        table = ParameterTable(config)
        guard params.count == table.count else { throw InferenceError(field: "params", reason: "\(params.count) values, expected \(table.count)") }
        let names = classNames ?? (config.classes == ModelConfig.classNames.count ? ModelConfig.classNames : (0..<config.classes).map { "class\($0)" })
        guard names.count == config.classes else { throw InferenceError(field: "classNames", reason: "\(names.count) names for \(config.classes) classes") }
        self.config = config
        self.params = params
        self.classNames = names
        pool = WorkerPool(size: threads)
    }

    /// The parameters and class names of a checkpoint (its Adam moments are not kept).
    public convenience init(checkpoint: Checkpoint, threads: Int = 1) throws(InferenceError) {
        try self.init(config: checkpoint.header.config, params: checkpoint.params, classNames: checkpoint.header.classNames, threads: threads)
    }

    /// The current workspace, for tests of its reuse.
    var workspaceForTesting: GNNLSTM<Float>? { model }

    /// Elements of the current forward workspace (0 before the first call); no backward buffers.
    public var workspaceElements: Int { model?.forwardElements ?? 0 }

    /// Runs `x` [B, T, V, C] (B = `batch`, T = `time`, any positive sizes) through the model.
    public func predict(_ x: [Float], batch: Int, time: Int) throws(InferenceError) -> Predictions {
        guard batch >= 1, time >= 1 else { throw InferenceError(field: "shape", reason: "batch \(batch), time \(time); both must be at least 1") }
        let node = config.landmarks * config.inputChannels
        let (frames, overflow) = batch.multipliedReportingOverflow(by: time)
        guard !overflow, frames.multipliedReportingOverflow(by: node) == (x.count, false) else {
            throw InferenceError(field: "x", reason: "\(x.count) values, expected batch \(batch) x time \(time) x \(config.landmarks) x \(config.inputChannels)")
        }
        if model?.b != batch || model?.t != time {
            model = nil   // free the old workspace before allocating the new one
            model = GNNLSTM<Float>(config: config, batch: batch, time: time, pool: pool, backward: false)
        }
        let model = model!
        params.withUnsafeBufferPointer { p in x.withUnsafeBufferPointer { model.forward(params: p.baseAddress!, x: $0.baseAddress!) } }
        return Predictions(raw: model.predictions, batch: batch, classes: config.classes)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
