import BiomechCore
import Foundation
import Model
import Shards

/// Trains the model on shard folders: a sampled, augmented stream of batches, validation every
/// epoch, early stopping on the validation loss, checkpoints that resume exactly, and the test
/// figures of the best weights at the end. docs/TRAINING.md.
public final class FitRun {
    public let options: FitOptions
    private let console: Console
    /// Fault injection for the tests: SIGKILL this process after this many batches of the run.
    public var killAfterBatches: Int?
    /// Check every shard file's SHA-256 before training.
    public var verify = false

    public init(options: FitOptions, console: Console = .shared) {
        self.options = options
        self.console = console
    }

    struct Splits {
        var train: ShardReader, val: ShardReader, test: ShardReader
    }

    /// Opens `folder/{train,val,test}` and checks them against the model's classes and each other.
    /// `validation`: the val split must have windows (the real folder's may be empty: see `run`).
    static func open(_ folder: String, window: Int?, verify: Bool = false, validation: Bool = true) throws -> Splits {
        func split(_ name: String) throws -> ShardReader {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            let reader: ShardReader
            do {
                reader = try ShardReader(folder: url)
                if verify { try reader.verify() }
            } catch { throw TrainingError("\(error)") }
            guard reader.index.exercises == ModelConfig.classNames else {
                throw TrainingError("\(url.path)/index.json: exercise classes \(reader.index.exercises); the model's are \(ModelConfig.classNames)")
            }
            if let window, reader.window != window {
                throw TrainingError("\(url.path): windows of \(reader.window) frames; expected \(window) like the other shard folder or checkpoint")
            }
            return reader
        }
        let train = try split("train")
        let splits = Splits(train: train, val: try split("val"), test: try split("test"))
        guard splits.train.count > 0 else { throw TrainingError("\(folder)/train: the split has no windows; nothing to train on") }
        guard !validation || splits.val.count > 0 else { throw TrainingError("\(folder)/val: the split has no windows; early stopping needs validation windows") }
        return splits
    }

    /// Runs (or, with `resume`, continues) the fit; returns the final state.
    @discardableResult
    public func run(resume: Bool = false) throws -> TrainingState {
        let o = options
        // The kernels first: which ones, who chose them, and that they computed right (docs/MODEL.md).
        let kernels = try BLASKernel.report()
        console.message(kernels.line)
        let out = URL(fileURLWithPath: o.out)
        let lastURL = out.appendingPathComponent("last.ckpt"), bestURL = out.appendingPathComponent("best.ckpt")
        let synthetic = try Self.open(o.synthetic, window: nil, verify: verify)
        let real = try o.real.map { try Self.open($0, window: synthetic.train.window, verify: verify, validation: false) }
        if let real, let path = o.real {
            let most = MixedSampler.realPerBatch(ratio: o.ratio, batch: o.batch)
            guard real.train.count >= most else {
                throw TrainingError("\(path)/train: \(real.train.count) windows, fewer than one batch's real share (\(most) of \(o.batch) at --ratio \(o.ratio)); lower --batch or --ratio")
            }
        }
        let window = synthetic.train.window
        if let real, let path = o.real, real.train.index.coords != synthetic.train.index.coords {
            throw TrainingError("\(path)/train: \(real.train.index.coords) coordinates; \(o.synthetic)/train has \(synthetic.train.index.coords) (window both with the same --coords)")
        }
        BLASThreads.set(1)
        let trainer = Trainer<Float>(config: ModelConfig(), batch: o.batch, time: window, seed: o.seed, threads: o.threads)
        trainer.weights = o.weights
        var state = TrainingState()
        if resume {
            let checkpoint: Checkpoint
            do { checkpoint = try Checkpoint.read(from: lastURL) } catch { throw TrainingError("cannot resume: \(error)") }
            guard let text = checkpoint.header.training, let saved = try? Self.stateDecoder().decode(TrainingState.self, from: Data(text.utf8)) else {
                throw TrainingError("\(lastURL.path): no training state; it was not written by biomech-train fit")
            }
            try trainer.load(checkpoint, from: lastURL.path)
            state = saved
        } else {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            if let initPath = o.initCheckpoint {
                // Pretrained weights with a fresh optimizer: only the parameters are taken.
                let pretrained: Checkpoint
                do { pretrained = try Checkpoint.read(from: URL(fileURLWithPath: initPath), expecting: ModelConfig()) } catch {
                    throw TrainingError("\(error)")
                }
                if let w = pretrained.header.window, w != window {
                    throw TrainingError("\(initPath): trained on windows of \(w) frames; these shards have \(window)")
                }
                _ = trainer.params.update(fromContentsOf: pretrained.params)
            }
            try RunFiles.writeConfig(o, synthetic: synthetic, real: real, kernels: kernels, to: out)
        }
        var sampler = MixedSampler(realCount: real?.train.count ?? 0, syntheticCount: synthetic.train.count, ratio: o.ratio,
                                   batch: o.batch, seed: o.seed, state: state.sampler)
        let assembler = BatchAssembler(real: real?.train, synthetic: synthetic.train, augmentation: o.augment ? Augmentation() : nil, seed: o.seed)
        // A small real folder may have no val windows (one video lands in one split): then the
        // synthetic val split watches the run, and the log says so.
        let validation = real.map { $0.val.count > 0 ? $0.val : synthetic.val } ?? synthetic.val
        if let real, real.val.count == 0, !resume {
            console.message("\(o.real!)/val has no windows: validating on \(o.synthetic)/val")
        }
        let schedule: LearningRateSchedule = o.cosine
            ? .cosine(peak: o.learningRate, warmup: o.warmup, total: max(o.warmup + 1, o.epochs * sampler.batchesPerEpoch), floor: o.learningRate / 100)
            : .constant(o.learningRate)

        func save(_ url: URL) throws {
            var checkpoint = trainer.checkpoint(rngState: o.seed)
            checkpoint.header.window = window
            checkpoint.header.coords = synthetic.train.index.coords
            checkpoint.header.training = String(decoding: try Self.stateEncoder().encode(state), as: UTF8.self)
            try checkpoint.write(to: url)
        }

        while state.epochsDone < o.epochs && !state.stopped {
            let epoch = state.epochsDone
            // After a validated epoch the sampler is still at its end; a run killed between the
            // last batch and validation resumes straight into the validation.
            if sampler.state.epoch < epoch { sampler.startNextEpoch() }
            let task = console.startTask("epoch \(epoch + 1)/\(o.epochs)", total: Int64(sampler.batchesPerEpoch * o.batch), unit: .items("windows"))
            let started = ProcessInfo.processInfo.systemUptime - state.epochSeconds
            let prefetcher = BatchPrefetcher(assembler: assembler)
            prefetcher.prefetch(from: &sampler)
            while let item = prefetcher.take() {
                prefetcher.prefetch(from: &sampler)   // assembled while this batch trains
                let sampled = item.sampled, batch = item.batch
                let rate = schedule.rate(at: sampled.number)
                let report = try batch.x.withUnsafeBufferPointer { x in try trainer.floatStep(x: x.baseAddress!, labels: batch.labels, learningRate: rate) }
                state.sampler = item.after
                state.epochLoss += report.loss
                state.epochFigures.add(report.figures)
                state.epochBatches += 1
                state.epochWindows += batch.count
                state.epochReal += sampled.origins.filter { if case .real = $0 { true } else { false } }.count
                task.update(done: Int64(state.epochWindows))
                task.setNote(String(format: "loss %.4f", state.epochLoss / Double(state.epochBatches)))
                if item.after.batches % o.checkpointEvery == 0 {
                    state.epochSeconds = ProcessInfo.processInfo.systemUptime - started
                    try save(lastURL)
                }
                if let kill = killAfterBatches, item.after.batches == kill { Foundation.kill(getpid(), SIGKILL) }
            }
            task.finish()
            let seconds = ProcessInfo.processInfo.systemUptime - started
            let (valLoss, metrics) = try Self.validate(trainer, on: validation, weights: o.weights, threads: o.threads)
            let record = EpochRecord(epoch: epoch + 1, trainLoss: state.epochLoss / Double(max(1, state.epochBatches)), train: state.epochFigures,
                                     valLoss: valLoss, val: metrics,
                                     learningRate: schedule.rate(at: max(0, sampler.state.batches - 1)), seconds: seconds,
                                     samplesPerSecond: Double(state.epochWindows) / max(seconds, 1e-9),
                                     realShare: Double(state.epochReal) / Double(max(1, state.epochWindows)))
            state.history.append(record)
            state.epochsDone += 1
            state.epochLoss = 0; state.epochFigures = HeadSums(); state.epochBatches = 0; state.epochWindows = 0; state.epochReal = 0; state.epochSeconds = 0
            if state.recordValidation(epoch: epoch + 1, loss: valLoss, patience: o.patience) { try save(bestURL) }
            try save(lastURL)
            try RunFiles.writeHistory(state.history, to: out)
            try RunFiles.writeHistoryChart(state.history, to: out)
            console.message(RunFiles.line(record, of: o.epochs))
        }
        try RunFiles.writeMetrics(state: state, best: bestURL, synthetic: synthetic.test, real: real?.test,
                                   valSplit: validation === real?.val ? "real" : "synthetic", options: o, to: out)
        return state
    }

    /// The training state's JSON: sorted keys, and a diverged run's NaN or infinite loss as text.
    static func stateEncoder() -> JSONEncoder { JSONOutput.encoder(nonFinite: true) }

    static func stateDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// The loss (the training loss's weighting, no augmentation) and the figures on `reader`.
    static func validate(_ trainer: Trainer<Float>, on reader: ShardReader, weights: LossWeights, threads: Int) throws -> (Double, EvaluationMetrics) {
        let model = try InferenceModel(config: trainer.model.config, params: Array(trainer.params), classNames: trainer.classNames, threads: threads)
        let (figures, metrics) = try Evaluator.measure(model, on: reader)
        return (figures.loss(weights: weights), metrics)
    }
}
