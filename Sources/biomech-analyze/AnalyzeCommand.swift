import Analysis
import ArgumentParser
import BiomechCLI
import BiomechCore
import Extract
import Foundation
import Model

/// `biomech-analyze`: a video, a live stream or a landmark sequence -> form report, annotated video, summary picture.
@main
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-analyze",
        abstract: "Score a set of an exercise with a trained model: report JSON, risk-heatmap video, summary picture.",
        discussion: """
        The source is a video file, - (a stream on standard input, e.g. MPEG-TS from ffmpeg), /dev/videoN \
        (a webcam, with --stream) or a landmark sequence .npy of biomech-extract or biomech-synth. Frames \
        go through extraction's decoder and MediaPipe Pose path and windowing's cutter, then the model, \
        in batches. The report's schema is docs/REPORT.md.
        """,
        version: BiomechVersion.string)

    static func main() {
        // MediaPipe's telemetry has no switch: cut the process off the network before any thread
        // starts. OpenBLAS starts its threads when it loads, unless told to use one (the model runs
        // its own worker pool over single-threaded BLAS anyway), so the first run starts a second,
        // which is also when the kernels are chosen and checked (docs/MODEL.md, "Kernel selection").
        BLASKernel.startup(tool: "biomech-analyze", alsoSet: ["OPENBLAS_NUM_THREADS": "1"])
        notIsolated = ExtractWorker.isolateNetwork()
        CommandMain.run(Self.self)
    }

    nonisolated(unsafe) static var notIsolated: String?

    @Option(help: "A checkpoint of biomech-train fit (e.g. runs/NAME/best.ckpt).")
    var model: String
    @Option(help: "A video file, - for standard input, /dev/videoN, or a sequence .npy.")
    var source: String
    @Option(help: "auto (the model's class), or an exercise name: squat, deadlift, jumping_jack, ... (aliases allowed).")
    var exercise = "auto"
    @Option(help: "Write the report here (JSON).")
    var json: String?
    @Option(help: "Write the annotated video here (e.g. annotated.mp4).")
    var output: String?
    @Option(help: "Write the summary picture here (PNG).")
    var summary: String?
    @Option(help: "Frames between window starts.")
    var stride = 15
    @Option(help: "Body mass in kg, for joint torques.")
    var bodyMass = 75.0
    @Option(help: "External load in kg (default: the exercise's usual fraction of body mass; 0 outside the model's exercises).")
    var load: Double?
    @Flag(help: "Print one JSON line per window as results arrive.")
    var stream = false
    @Option(help: "Scale the annotated video so its long side is at most this many pixels.")
    var maxSide: Int?
    @Option(help: "Threads for the model.")
    var threads = 1
    @OptionGroup var blas: BLASOptions

    func run() throws {
        if let reason = Self.notIsolated {
            FileHandle.standardError.write(Data("biomech-analyze: warning: MediaPipe's telemetry is not cut off (\(reason)); see docs/EXTRACT.md\n".utf8))
        }
        var options = AnalyzeOptions(model: model, source: source)
        options.exercise = exercise
        options.json = json
        options.output = output
        options.summary = summary
        options.stride = stride
        options.bodyMass = bodyMass
        options.load = load
        options.stream = stream
        options.maxSide = maxSide
        options.threads = threads
        let report = try Analyzer(options: options).run()
        if !stream && json == nil {
            FileHandle.standardOutput.write(try JSONOutput.data(report, pretty: true))
        } else if !stream {
            let r = report.riskAssessment
            Console.shared.message("\(report.exerciseType.name): \(report.reps.count) reps, score \(report.overallScore), risk \(r.level) (\(r.score))")
        }
    }
}
