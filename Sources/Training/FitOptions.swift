import Foundation
import Model

/// What `biomech-train fit` is asked to do; stored in the run's `config.json`, and read back on `--resume`.
public struct FitOptions: Codable, Sendable, Equatable {
    /// Shard folders (train/, val/, test/): synthetic always, real to fine-tune on a mix.
    public var synthetic: String
    public var real: String?
    /// The real share of every batch, with `real`.
    public var ratio = 0.7
    /// Start from these weights (a fresh optimizer): pretrain, then fine-tune.
    public var initCheckpoint: String?
    public var out: String
    public var epochs = 30
    public var batch = 16
    public var learningRate = 1e-3
    /// Linear warm-up over this many batches then cosine decay to 1% (0: a constant rate).
    public var warmup = 0
    public var cosine = false
    /// Epochs without a better validation loss before stopping.
    public var patience = 5
    public var seed: UInt64 = 0
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var augment = true
    public var weights = LossWeights()
    /// Also save `last.ckpt` every this many batches (and at every epoch's end).
    public var checkpointEvery = 100

    public init(synthetic: String, out: String) {
        self.synthetic = synthetic
        self.out = out
    }

    enum CodingKeys: String, CodingKey {
        case synthetic, real, ratio, out, epochs, batch, warmup, cosine, patience, seed, threads, augment, weights
        case initCheckpoint = "init", learningRate = "lr", checkpointEvery = "checkpoint_every"
    }
}

/// The four figures' running sums over an epoch's training batches (augmented, each before its update).
public struct HeadSums: Codable, Sendable, Equatable {
    public var form = 0.0, formCount = 0, angles = 0.0, angleCount = 0, correct = 0, exerciseCount = 0, risk = 0.0, riskCount = 0

    public init() {}

    public mutating func add(_ f: LossFigures) {
        form += f.form.absoluteErrorSum; formCount += f.form.count
        angles += f.angles.absoluteErrorSum; angleCount += f.angles.count
        correct += f.exercise.correct; exerciseCount += f.exercise.count
        risk += f.risk.absoluteErrorSum; riskCount += f.risk.count
    }

    static func mean(_ sum: Double, _ n: Int) -> Double? { n > 0 ? sum / Double(n) : nil }
    public var formMAE: Double? { Self.mean(form, formCount) }
    public var angleMAEDegrees: Double? { Self.mean(angles, angleCount) }
    public var exerciseAccuracy: Double? { Self.mean(Double(correct), exerciseCount) }
    public var riskMAE: Double? { Self.mean(risk, riskCount) }
}

/// One epoch's line of `history.csv`.
public struct EpochRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    /// The training batches' figures (so a head that does not even fit its training data shows).
    public var train: HeadSums
    public var valLoss: Double
    public var val: EvaluationMetrics
    public var learningRate: Double
    public var seconds: Double
    public var samplesPerSecond: Double
    /// The real share of the epoch's training windows (0 without real data).
    public var realShare: Double
}

/// Where a `fit` run is: saved in every checkpoint it writes, so `--resume` continues exactly.
public struct TrainingState: Codable, Sendable, Equatable {
    public var sampler = SamplerState()
    /// Epochs finished (validated).
    public var epochsDone = 0
    /// The loss of the epoch under way so far, and its batches, windows and real windows.
    public var epochLoss = 0.0
    public var epochFigures = HeadSums()
    public var epochBatches = 0
    public var epochWindows = 0
    public var epochReal = 0
    /// Seconds spent on the epoch under way before the last checkpoint (for its samples/s).
    public var epochSeconds = 0.0
    public var bestValLoss: Double?
    public var bestEpoch: Int?
    public var epochsSinceBest = 0
    public var stopped = false
    public var history: [EpochRecord] = []

    public init() {}

    /// Early stopping: records epoch `epoch`'s validation loss and says whether it is the best so
    /// far (then its weights are the ones to keep). After `patience` epochs without a better one, `stopped`.
    public mutating func recordValidation(epoch: Int, loss: Double, patience: Int) -> Bool {
        if bestValLoss.map({ loss < $0 }) ?? !loss.isNaN {
            bestValLoss = loss
            bestEpoch = epoch
            epochsSinceBest = 0
            return true
        }
        epochsSinceBest += 1
        if epochsSinceBest >= patience { stopped = true }
        return false
    }
}
