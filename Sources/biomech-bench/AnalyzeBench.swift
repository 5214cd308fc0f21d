import Analysis
import ArgumentParser
import BiomechCore
import Extract
import Foundation
import Model
import Pose

/// Analysis frames/s end to end against extraction alone on the same video, in one process.
struct AnalyzeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "biomech-analyze's overhead over extraction alone: model + aggregation (+ drawing and encoding) vs landmarks only.",
        discussion: """
        Three runs each of: (A) extraction's LandmarkExtractor on the video; (B) the whole analysis with --json; \
        (C) with --output and --summary too; (D) C with --max-side 640. Interleaved, medians reported. Goal: model, aggregation and drawing add under 15% to A.
        """)

    @Option(help: "Scratch folder.")
    var work = "bench-work"
    @Option(help: "The video (default: the Sports2D demo from make setup).")
    var video = ".mediapipe/demo.mp4"
    @Option(help: "A checkpoint; default: the model's initial weights (speed does not depend on them).")
    var model: String?
    @Option(help: "Rounds; the median is reported.")
    var runs = 3

    func run() throws {
        let folder = URL(fileURLWithPath: work).appendingPathComponent("analyze")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let checkpoint = try model ?? Self.initialCheckpoint(in: folder).path
        let files = MediaPipeFiles.located()
        let quiet = Console(isTerminal: false)
        var frames = 0
        func extractOnly() throws {
            var cost = ExtractionCost()
            guard case .success(let landmarks) = try LandmarkExtractor(files: files, settings: Analyzer.extractSettings)
                .extract(path: video, threads: 0, cost: &cost) else { throw AnalysisError.failure("\(video): no landmarks") }
            frames = landmarks.sequence.frames
        }
        var parts: [String: [Double]] = [:]
        func analyse(pictures: Bool, maxSide: Int? = nil) throws {
            var options = AnalyzeOptions(model: checkpoint, source: video)
            options.json = folder.appendingPathComponent("report.json").path
            options.maxSide = maxSide
            if pictures {
                options.output = folder.appendingPathComponent("annotated.mp4").path
                options.summary = folder.appendingPathComponent("summary.png").path
            }
            let analyzer = Analyzer(options: options, files: files, console: quiet)
            try analyzer.run()
            if pictures && maxSide == nil { for (name, seconds) in analyzer.timings { parts[name, default: []].append(seconds) } }
        }
        var times: [[Double]] = [[], [], [], []]
        for round in 1...runs {
            for i in 0..<4 {
                let start = ContinuousClock.now
                switch i {
                case 0: try extractOnly()
                case 1: try analyse(pictures: false)
                case 2: try analyse(pictures: true)
                default: try analyse(pictures: true, maxSide: 640)
                }
                times[i].append((ContinuousClock.now - start).inSeconds)
            }
            print(String(format: "round %d: extract %.2f s, analyze --json %.2f s, + --output --summary %.2f s, the same at --max-side 640 %.2f s",
                         round, times[0].last!, times[1].last!, times[2].last!, times[3].last!))
        }
        let median = times.map { $0.sorted()[$0.count / 2] }
        let rate = median.map { Double(frames) / $0 }
        print("")
        let met = { (i: Int) in median[i] / median[0] - 1 < 0.15 ? "met" : "not met" }
        print(Format.table(header: ["benchmark", "median", "frames/s", "vs extraction", "goal", ""], rows: [
            ["extraction alone (LandmarkExtractor)", String(format: "%.2f s", median[0]), String(format: "%.1f", rate[0]), "1.00", "", ""],
            ["analyze --json (model, aggregation)", String(format: "%.2f s", median[1]), String(format: "%.1f", rate[1]),
             String(format: "%.2f (+%.0f%%)", rate[1] / rate[0], (median[1] / median[0] - 1) * 100), "adds < 15%", met(1)],
            ["analyze --json --output --summary", String(format: "%.2f s", median[2]), String(format: "%.1f", rate[2]),
             String(format: "%.2f (+%.0f%%)", rate[2] / rate[0], (median[2] / median[0] - 1) * 100), "adds < 15%", met(2)],
            ["  the same, --max-side 640", String(format: "%.2f s", median[3]), String(format: "%.1f", rate[3]),
             String(format: "%.2f (+%.0f%%)", rate[3] / rate[0], (median[3] / median[0] - 1) * 100), "adds < 15%", met(3)],
        ]))
        print("\(frames) frames analysed per run of \(video)")
        for (i, name) in [(1, "analyze --json"), (2, "analyze with the annotated video and summary"), (3, "  the same at --max-side 640")] {
            BenchResults.record("analyze", name, value: rate[i] / rate[0], unit: "x", reference: "extraction alone",
                                goal: ">= 0.87 (adds < 15%)", met: median[i] / median[0] - 1 < 0.15)
        }
        print("")
        print("where the full-size run's time goes (medians, wall seconds):")
        print(Format.table(header: ["part", "seconds", "of extraction alone's time"], rows: parts.sorted { $0.key < $1.key }.map { name, values in
            let m = values.sorted()[values.count / 2]
            return [name, String(format: "%.2f", m), String(format: "%.0f%%", m / median[0] * 100)]
        }))
    }

    /// `folder/initial.ckpt`: the model's initial weights, for benchmarks whose figures do not depend on them.
    static func initialCheckpoint(in folder: URL) throws -> URL {
        var checkpoint = Trainer<Float>(config: ModelConfig(), batch: 1, time: 60, seed: 1).checkpoint(rngState: 1)
        checkpoint.header.window = 60
        let url = folder.appendingPathComponent("initial.ckpt")
        try checkpoint.write(to: url)
        return url
    }
}
