import ArgumentParser
import BiomechCLI
import BiomechCore
import Biomechanics
import Foundation
import Logging
import Synth

/// `biomech-synth`: physics-based synthetic exercise sequences with exact labels.
@main
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-synth",
        abstract: "Generate synthetic landmark sequences of the five exercises at four quality levels.",
        discussion: """
        Writes ID.npy (float32 [T,33,4] image landmarks), ID.world.npy (float32 [T,33,3] world landmarks) \
        and ID.json (metadata and ground truth) per sequence; see docs/SEQUENCES.md and docs/LABELS.md. \
        The same seed gives the same bytes.
        """,
        version: BiomechVersion.string)

    static func main() { CommandMain.run(Self.self) }

    @Option(help: "Output folder.")
    var out: String
    @Option(help: "Number of sequences (balanced over exercise x quality in blocks of 20).")
    var count = 1000
    @Option(help: "Frames per sequence.")
    var frames = 150
    @Option(help: "Frames per second.")
    var fps = 30.0
    @Option(help: "Random seed.")
    var seed: UInt64 = 42
    @Option(help: "Generation threads.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Also write OUT/preview.png, a contact sheet of stick figures.")
    var preview = false

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard frames >= 10 else { throw ValidationError("--frames must be at least 10") }
        guard fps > 0 && fps <= 240 else { throw ValidationError("--fps must be in (0, 240]") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        ConsoleLogHandler.bootstrap(label: "biomech-synth", level: .info)
        let logger = Logger(label: "biomech-synth")
        var options = SynthOptions()
        options.count = count
        options.frames = frames
        options.fps = fps
        options.seed = seed
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let summary = try SynthRun(options: options, folder: folder, jobs: jobs, logger: logger, console: .shared).run(preview: preview)
        print(summary)
    }
}
