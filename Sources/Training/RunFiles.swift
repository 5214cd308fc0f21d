import BiomechCore
import Drawing
import Foundation
import Model
import Shards

/// The files of a run folder besides its checkpoints: config.json, history.csv, metrics.json.
enum RunFiles {
    static func encoder() -> JSONEncoder { JSONOutput.encoder(pretty: true, nonFinite: true) }

    /// Every option, each shard index's SHA-256, the biomech version, the git commit (when run in a checkout) and the BLAS kernels.
    static func writeConfig(_ options: FitOptions, synthetic: FitRun.Splits, real: FitRun.Splits?, kernels: BLASKernelReport,
                            to folder: URL) throws {
        struct Config: Encodable {
            var options: FitOptions
            var shards: [String: String]
            var tool: String
            var gitCommit: String?
            var blas: BLASKernelReport
            enum CodingKeys: String, CodingKey { case options, shards, tool, blas, gitCommit = "git_commit" }
        }
        var hashes: [String: String] = [:]
        for (name, splits) in [("synthetic", synthetic)] + (real.map { [("real", $0)] } ?? []) {
            for reader in [splits.train, splits.val, splits.test] {
                let index = reader.folder.appendingPathComponent(ShardIndex.fileName)
                hashes["\(name)/\(reader.index.split)/index.json"] = try FileDigest.sha256(ofFile: index.path).hex
            }
        }
        let git = Subprocess.run("/usr/bin/git", ["rev-parse", "HEAD"])
        let commit = git.status == 0 ? git.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        try AtomicFile.write(try encoder().encode(Config(options: options, shards: hashes, tool: "biomech-train \(BiomechVersion.string)",
                                                         gitCommit: commit, blas: kernels)),
                             to: folder.appendingPathComponent("config.json"))
    }

    static let historyHeader = "epoch,train_loss,val_loss,form_mae,angle_mae_deg,exercise_accuracy,risk_mae,lr,seconds,samples_per_s,real_share,"
        + "train_form_mae,train_angle_mae_deg,train_exercise_accuracy,train_risk_mae"

    static func writeHistory(_ history: [EpochRecord], to folder: URL) throws {
        func number(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "" }
        let lines = history.map { r in
            [String(r.epoch), number(r.trainLoss), number(r.valLoss), number(r.val.formMAE), number(r.val.angleMAEDegrees),
             number(r.val.exerciseAccuracy), number(r.val.riskMAE), number(r.learningRate), number(r.seconds), number(r.samplesPerSecond),
             number(r.realShare), number(r.train.formMAE), number(r.train.angleMAEDegrees), number(r.train.exerciseAccuracy),
             number(r.train.riskMAE)].joined(separator: ",")
        }
        try AtomicFile.write(Data(([historyHeader] + lines).joined(separator: "\n").appending("\n").utf8),
                             to: folder.appendingPathComponent("history.csv"))
    }

    /// history.png: the losses and the four validation figures per epoch.
    static func writeHistoryChart(_ history: [EpochRecord], to folder: URL) throws {
        let rows = history.map(HistoryRow.init)
        try RunHistory.chart([(folder.lastPathComponent, rows)], title: "biomech-train fit: \(folder.lastPathComponent)")
            .write(to: folder.appendingPathComponent("history.png"))
    }

    /// The best epoch's validation figures and the best weights' test figures, per shard folder.
    /// `valSplit` names the folder validation ran on: "real", or "synthetic" (no real data, or no real val windows).
    static func writeMetrics(state: TrainingState, best: URL, synthetic: ShardReader, real: ShardReader?, valSplit: String,
                             options: FitOptions, to folder: URL) throws {
        struct Metrics: Encodable {
            var bestEpoch: Int?
            var epochs: Int
            var stoppedEarly: Bool
            var valSplit: String
            var val: EvaluationMetrics?
            var test: [String: EvaluationMetrics]
            enum CodingKeys: String, CodingKey {
                case val, test, epochs, bestEpoch = "best_epoch", stoppedEarly = "stopped_early", valSplit = "val_split"
            }
        }
        var test: [String: EvaluationMetrics] = [:]
        // No best weights when no epoch had a finite validation loss (a diverged run): no test figures.
        if FileManager.default.fileExists(atPath: best.path) {
            let checkpoint = try Checkpoint.read(from: best)
            for (name, reader) in [("synthetic", synthetic)] + (real.map { [("real", $0)] } ?? []) where reader.count > 0 {
                test[name] = try Evaluator.evaluate(checkpoint, on: reader, threads: options.threads)
            }
        }
        let val = state.bestEpoch.flatMap { epoch in state.history.first { $0.epoch == epoch }?.val }
        try AtomicFile.write(try encoder().encode(Metrics(bestEpoch: state.bestEpoch, epochs: state.epochsDone, stoppedEarly: state.stopped,
                                                          valSplit: valSplit, val: val, test: test)),
                             to: folder.appendingPathComponent("metrics.json"))
    }

    /// The log line of one epoch.
    static func line(_ r: EpochRecord, of epochs: Int) -> String {
        func figure(_ v: Double?, _ f: String) -> String { v.map { String(format: f, $0) } ?? "n/a" }
        return "epoch \(r.epoch)/\(epochs): train loss \(String(format: "%.4f", r.trainLoss)), val loss \(String(format: "%.4f", r.valLoss)); "
            + "val form MAE \(figure(r.val.formMAE, "%.2f")), angle MAE \(figure(r.val.angleMAEDegrees, "%.2f")) deg, "
            + "exercise \(figure(r.val.exerciseAccuracy.map { $0 * 100 }, "%.1f"))%, risk MAE \(figure(r.val.riskMAE, "%.2f")); "
            + String(format: "%.0f samples/s, %.0f%% real", r.samplesPerSecond, r.realShare * 100)
    }
}
