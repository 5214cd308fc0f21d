import ArgumentParser
import BiomechCLI
import BiomechCore
import Foundation
import Training

/// `biomech-train fit`: pretrain on synthetic shards, or fine-tune on a real/synthetic mix (docs/TRAINING.md).
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Train on shard folders: validation every epoch, early stopping, exact resume, test figures at the end.")

    @Option(help: "Synthetic shard folder (train/, val/, test/), e.g. shards/synthetic.")
    var synthetic: String?
    @Option(help: "Real shard folder, mixed in at --ratio.")
    var real: String?
    @Option(help: "The real share of every batch, in (0, 1), with --real.")
    var ratio = 0.7
    @Option(name: .customLong("init"), help: "Start from this checkpoint's weights with a fresh optimizer (fine-tuning).")
    var initCheckpoint: String?
    @Option(help: "The run folder (best.ckpt, last.ckpt, history.csv, metrics.json, config.json).")
    var out: String
    @Option(help: "Epochs (passes over the real training windows, or the synthetic ones without --real).")
    var epochs = 30
    @Option(help: "Windows per batch.")
    var batch = 16
    @Option(help: "Learning rate (the peak, with --cosine).")
    var lr = 1e-3
    @Flag(help: "Cosine decay of the learning rate to 1%, after --warmup batches of linear warm-up.")
    var cosine = false
    @Option(help: "Warm-up batches, with --cosine.")
    var warmup = 0
    @Option(help: "Epochs without a better validation loss before stopping.")
    var patience = 5
    @Option(help: "Seed of the initialisation, the sampler and the augmentation.")
    var seed: UInt64 = 0
    @Option(help: "Threads (default: all cores; results are reproducible for a fixed count).")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Augmentation of training windows: on or off.")
    var augment = "on"
    @Option(help: "Loss weights of the form, angles, exercise and risk heads, e.g. 1,1,1,1.")
    var weights = "1,1,1,1"
    @Option(help: "Also save last.ckpt every this many batches.")
    var checkpointEvery = 100
    @Flag(help: "Continue the run in --out from its last.ckpt, with the options in its config.json.")
    var resume = false
    @Flag(help: "Check every shard file's SHA-256 against its index.json before training.")
    var verify = false
    @OptionGroup var blas: BLASOptions
    @Option(help: .hidden)
    var killAfterBatches: Int?

    func validate() throws {
        if !resume { guard synthetic != nil else { throw ValidationError("--synthetic is required (or --resume)") } }
        if real != nil { guard ratio > 0, ratio < 1 else { throw ValidationError("--ratio must be in (0, 1) with --real, not \(ratio)") } }
        guard epochs >= 1, batch >= 1, patience >= 1, threads >= 1, checkpointEvery >= 1, warmup >= 0 else {
            throw ValidationError("--epochs, --batch, --patience, --threads and --checkpoint-every must be at least 1")
        }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number") }
        guard ["on", "off"].contains(augment) else { throw ValidationError("--augment must be on or off, not '\(augment)'") }
        guard parsedWeights != nil else { throw ValidationError("--weights wants four non-negative numbers like 1,1,1,1, not '\(weights)'") }
    }

    private var parsedWeights: [Double]? {
        let values = weights.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        return values.count == 4 && values.allSatisfy { $0 >= 0 && $0.isFinite } ? values : nil
    }

    func run() throws {
        var options: FitOptions
        if resume {
            let config = URL(fileURLWithPath: out).appendingPathComponent("config.json")
            struct Saved: Decodable { var options: FitOptions }
            do { options = try JSONDecoder().decode(Saved.self, from: Data(contentsOf: config)).options } catch {
                throw TrainingError("\(config.path): cannot read the run's options (\(error)); is \(out) a run folder of biomech-train fit?")
            }
        } else {
            options = FitOptions(synthetic: synthetic ?? "", out: out)
            options.real = real
            options.ratio = ratio
            options.initCheckpoint = initCheckpoint
            options.epochs = epochs
            options.batch = batch
            options.learningRate = lr
            options.cosine = cosine
            options.warmup = warmup
            options.patience = patience
            options.seed = seed
            options.threads = threads
            options.augment = augment == "on"
            if let w = parsedWeights {
                options.weights.form = w[0]; options.weights.angles = w[1]; options.weights.exercise = w[2]; options.weights.risk = w[3]
            }
            options.checkpointEvery = checkpointEvery
        }
        let run = FitRun(options: options)
        run.killAfterBatches = killAfterBatches
        run.verify = verify
        let state = try run.run(resume: resume)
        print("\(state.epochsDone) epochs\(state.stopped ? " (stopped early)" : ""); best epoch \(state.bestEpoch.map(String.init) ?? "-"); "
              + "run folder \(options.out)")
    }
}
