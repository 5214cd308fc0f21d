import ArgumentParser
import BiomechCLI
import BiomechCore
import CatalogStore
import Datasets
import Extract
import Foundation
import Pose

/// `biomech-extract`: catalogued videos -> landmark sequences, with MediaPipe Pose in worker processes.
@main
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-extract",
        abstract: "Decode catalogued videos and run MediaPipe Pose on every frame, into landmark sequences.",
        discussion: """
        Writes OUT/<dataset>/<video id>.npy (float32 [T,33,4]: image x, y, z, visibility; NaN rows where \
        nobody was found), .world.npy ([T,33,3], metres) and .json per video, and records each attempt in \
        the catalog's `sequences` table. Videos with an up-to-date sequence (same file, same settings) are \
        skipped. See docs/EXTRACT.md.
        """,
        version: BiomechVersion.string)

    static func main() {
        // `biomech-extract worker --parent PID` is a worker process, started by the command itself. It
        // cuts itself off the network before any thread starts (docs/EXTRACT.md, "Telemetry").
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "worker" {
            if arguments.count == 3, arguments[1] == "--parent", let parent = Int32(arguments[2]) {
                WorkerCommand.networkNotIsolated = ExtractWorker.prepareProcess(parent: parent)
            }
            CommandMain.run(WorkerCommand.self, arguments: Array(arguments.dropFirst()))
        }
        CommandMain.run(Self.self)
    }

    @Option(help: "The catalog database (from biomech-catalog scan).")
    var db = "catalog.sqlite"
    @Option(help: "The fetched data: videos are DATA/<dataset>/files/<path>.")
    var data = "data/raw"
    @Option(help: "Output folder for the sequences.")
    var out = "data/landmarks"
    @Option(help: "Only this dataset (repeatable).")
    var dataset: [String] = []
    @Option(help: "Only videos labelled with this exercise (repeatable).")
    var exercise: [String] = []
    @Option(help: "Only this split: train, val or test (repeatable).")
    var split: [Split] = []
    @Option(help: "At most this many videos.")
    var limit: Int?
    @Flag(help: "Redo videos whose sequence is up to date.")
    var force = false
    @Option(help: "Frames per second to keep (default: the video's own rate, at most 30).")
    var fps: Double?
    @Option(help: "Downscale frames so the long side is at most this many pixels.")
    var maxSide = 640
    @Option(help: "MediaPipe running mode: video (tracking) or image (every frame alone).")
    var mode = "video"
    @Option(help: "MediaPipe's detection, presence and tracking confidence threshold.")
    var minConfidence: Float = 0.5
    @Option(help: "Worker processes (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Also write the run's summary as JSON to this file.")
    var summaryJson: String?
    @Option(help: .hidden)
    var killWorkerAfter: String?

    func validate() throws {
        if let fps { guard fps.isFinite, fps > 0, fps <= 240 else { throw ValidationError("--fps must be in (0, 240], not \(fps)") } }
        guard maxSide >= 16 else { throw ValidationError("--max-side must be at least 16, not \(maxSide)") }
        guard ["video", "image"].contains(mode) else { throw ValidationError("--mode must be video or image, not '\(mode)'") }
        guard minConfidence >= 0, minConfidence <= 1 else { throw ValidationError("--min-confidence must be in [0, 1]") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        if let limit { guard limit >= 1 else { throw ValidationError("--limit must be at least 1, not \(limit)") } }
        if let killWorkerAfter { _ = try faultInjection(killWorkerAfter) }
    }

    func run() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var options = ExtractOptions(catalog: db, data: URL(fileURLWithPath: data), output: URL(fileURLWithPath: out),
                                     workerCommand: [executable, "worker", "--parent", "\(getpid())"])
        options.selection = SequenceSelection(datasets: dataset, exercises: exercise, splits: split, limit: limit, force: force)
        options.settings = ExtractSettings(fps: fps, maxSide: maxSide, mode: mode == "image" ? .image : .video,
                                           minimumConfidence: minConfidence)
        options.jobs = jobs
        options.killWorker = try killWorkerAfter.map(faultInjection)
        let summary = try ExtractRun(options: options).run()
        if let summaryJson {
            try AtomicFile.write(try JSONOutput.encoder(pretty: true).encode(summary), to: URL(fileURLWithPath: summaryJson))
        }
        guard summary.planned > 0 else {
            print("nothing to do: all \(summary.selected) selected videos have an up-to-date sequence (--force redoes them)")
            return
        }
        print(summary.table)
        if summary.interrupted || summary.failed > 0 { throw ExitCode(ExitStatus.failure) }
    }

    /// `SUFFIX:FRAMES`, for the fault-isolation tests.
    private func faultInjection(_ text: String) throws -> (pathSuffix: String, frames: Int) {
        guard let colon = text.lastIndex(of: ":"), let frames = Int(text[text.index(after: colon)...]), frames >= 1 else {
            throw ValidationError("--kill-worker-after wants PATH_SUFFIX:FRAMES, not '\(text)'")
        }
        return (String(text[..<colon]), frames)
    }
}

extension Split: ExpressibleByArgument {}
