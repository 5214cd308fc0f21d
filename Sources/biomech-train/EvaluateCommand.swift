import ArgumentParser
import BiomechCLI
import BiomechCore
import Foundation
import Model
import Training

/// `biomech-train evaluate`: the four figures of a checkpoint on one split folder.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a checkpoint on one split folder (e.g. shards/x/test): form MAE, angle MAE, exercise accuracy, risk MAE.")

    @Option(help: "The checkpoint (biomech-train init, or a run's best.ckpt).")
    var ckpt: String
    @Option(help: "One split folder holding index.json, e.g. shards/synthetic/test.")
    var shards: String
    @Option(help: "Also write the metrics as JSON to this file.")
    var json: String?
    @Option(help: "Windows per inference batch.")
    var batch = 64
    @Option(help: "Threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @OptionGroup var blas: BLASOptions
    @Flag(help: "Check every shard file's SHA-256 first.")
    var verify = false

    func validate() throws {
        guard batch >= 1, threads >= 1 else { throw ValidationError("--batch and --threads must be at least 1") }
    }

    func run() throws {
        BLASThreads.set(1)
        let (model, reader) = try Evaluator.open(checkpoint: URL(fileURLWithPath: ckpt), split: URL(fileURLWithPath: shards), verify: verify)
        let task = Console.shared.startTask("evaluate", total: Int64(reader.count), unit: .items("windows"))
        let metrics = try Evaluator.evaluate(model, on: reader, batch: batch, threads: threads) { task.update(done: Int64($0)) }
        task.finish()
        func figure(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "n/a (no labels)" }
        print("windows            \(metrics.windows)")
        print("form_mae           \(figure(metrics.formMAE, "%.2f points")) over \(metrics.counts["form"] ?? 0)")
        print("angle_mae_deg      \(figure(metrics.angleMAEDegrees, "%.2f degrees")) over \(metrics.counts["angles"] ?? 0)")
        print("exercise_accuracy  \(figure(metrics.exerciseAccuracy.map { $0 * 100 }, "%.1f%%")) over \(metrics.counts["exercise"] ?? 0)")
        print("risk_mae           \(figure(metrics.riskMAE, "%.2f points")) over \(metrics.counts["risk"] ?? 0)")
        if let json {
            try JSONOutput.write(metrics, to: URL(fileURLWithPath: json), pretty: true)
        }
    }
}
