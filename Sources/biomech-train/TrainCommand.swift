import ArgumentParser
import BiomechCLI
import BiomechCore
import Foundation
import Model

/// `biomech-train`: the GNN-LSTM trainer: fit, evaluate, history charts, checkpoints and the throughput benchmark.
@main
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-train",
        abstract: "Train the GNN-LSTM form model.",
        version: BiomechVersion.string,
        subcommands: [TrainBench.self, InitCheckpoint.self, ExportCommand.self, ImportWeights.self, FitCommand.self, EvaluateCommand.self,
                      HistoryCommand.self, KernelsCommand.self])

    /// The subcommands that run the model: their kernels are chosen and checked before parsing (docs/MODEL.md).
    static let modelCommands: [ParsableCommand.Type] = [FitCommand.self, EvaluateCommand.self, TrainBench.self, KernelsCommand.self]

    static func main() {
        if let first = CommandLine.arguments.dropFirst().first, modelCommands.contains(where: { $0.configuration.commandName == first }) {
            BLASKernel.startup(tool: "biomech-train \(first)")
        }
        CommandMain.run(Self.self)
    }
}

/// Trains on random inputs and reports throughput, for comparison with the PyTorch reference; or,
/// with `--inference`, the latency of one window through the inference path (compared with onnxruntime).
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Training throughput on random 60-frame windows; last line: samples_per_s=<x> params=<n> gflops=<achieved>. "
            + "With --inference: last line ms_per_window=<median> p90_ms=<p90> runs=<n>.")

    @Option(help: "Threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Batch size.")
    var batch = 16
    @Option(help: "Seconds to measure (after 3 warm-up steps).")
    var seconds = 10.0
    @Flag(help: "Measure inference latency per window at batch 1 instead of training throughput.")
    var inference = false
    @OptionGroup var blas: BLASOptions

    func validate() throws {
        guard threads >= 1, batch >= 1, seconds > 0 else { throw ValidationError("--threads, --batch and --seconds must be positive") }
    }

    func run() throws {
        let kernels = try BLASKernel.report()
        print(kernels.line)
        print(String(format: "blas_core=%@ blas_source=%@ self_check_ms=%.2f", kernels.core, kernels.source.rawValue, kernels.selfCheck.milliseconds))
        if inference {
            BLASThreads.set(1)
            let (median, p90, runs) = try InferenceBenchmark.run(seconds: seconds, threads: threads)
            print(String(format: "ms_per_window=%.3f p90_ms=%.3f runs=%d", median, p90, runs))
            return
        }
        // The peak uses OpenBLAS's threads; training uses the model's own, with OpenBLAS single-threaded.
        BLASThreads.set(threads)
        let peak = TrainingBenchmark.sgemmPeak()
        BLASThreads.set(1)
        let (samples, parameters) = try TrainingBenchmark.run(batch: batch, seconds: seconds, threads: threads)
        let achieved = samples * TrainingBenchmark.gflopPerSample
        print(String(format: "sgemm peak %.0f GFLOP/s with %d threads; training achieves %.0f GFLOP/s (%.0f%% of peak)",
                     peak, threads, achieved, 100 * achieved / peak))
        print(String(format: "samples_per_s=%.1f params=%d gflops=%.1f", samples, parameters, samples * TrainingBenchmark.gflopPerSample))
    }
}
