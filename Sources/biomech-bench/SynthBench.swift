import ArgumentParser
import BiomechCore
import Foundation
import Logging
import Synth

/// Sequences generated per second by biomech-synth (writing included).
struct SynthBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "biomech-synth throughput: 1,000 sequences of 150 frames, written to disk (goal: under 10 s).")

    @Option(help: "Scratch folder.")
    var work = "bench-work"
    @Option(help: "Sequences per run.")
    var count = 1000
    @Option(help: "Runs; the median is reported.")
    var runs = 3

    func run() throws {
        var times: [Double] = []
        let folder = URL(fileURLWithPath: work).appendingPathComponent("synth")
        for run in 1...runs {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var options = SynthOptions()
            options.count = count
            let start = ContinuousClock.now
            _ = try SynthRun(options: options, folder: folder, jobs: ProcessInfo.processInfo.activeProcessorCount,
                             logger: Logger(label: "bench"), console: Console(isTerminal: false)).run(preview: false)
            let elapsed = ContinuousClock.now - start
            times.append(elapsed.inSeconds)
            print(String(format: "synth run %d: %d sequences in %.2f s", run, count, times.last!))
        }
        try? FileManager.default.removeItem(at: folder)
        let median = times.sorted()[times.count / 2]
        BenchResults.record("synth", "\(count) sequences of 150 frames", value: median, unit: "s", goal: "< 10 s", met: median < 10)
        print("")
        print(Format.table(header: ["benchmark", "median", "sequences/s", "goal"], rows: [
            ["biomech-synth \(count) x 150 frames, \(ProcessInfo.processInfo.activeProcessorCount) threads",
             String(format: "%.2f s", median), String(format: "%.0f", Double(count) / median), "1000 in < 10 s"],
        ]))
    }
}
