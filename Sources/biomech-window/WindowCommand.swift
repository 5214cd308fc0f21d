import ArgumentParser
import BiomechCLI
import BiomechCore
import Datasets
import Foundation
import Shards
import Windowing

/// `biomech-window`: landmark sequences -> labelled windows in `.npy` shards (docs/WINDOW.md, docs/SHARDS.md).
@main
struct WindowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-window",
        abstract: "Cut landmark sequences into labelled windows, written as NumPy .npy shards per split.",
        discussion: """
        Input: the catalog's extracted sequences (--db, with their video's split and labels) or any folder in \\
        the sequence format (--sequences, e.g. biomech-synth output; split by sequence id). Output: OUT/train, \\
        OUT/val, OUT/test, each with shard-NNNNN.<array>.npy files and an index.json (docs/SHARDS.md). \
        `biomech-window stats OUT` prints what a shard folder holds.
        """,
        version: BiomechVersion.string)

    static func main() {
        // `stats` is a command of its own: the windowing options do not apply to it.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "stats" { CommandMain.run(StatsCommand.self, arguments: Array(arguments.dropFirst())) }
        CommandMain.run(Self.self)
    }

    @Option(help: "The catalog: window its sequences with status ok.")
    var db: String?
    @Option(help: "Where biomech-extract wrote the sequences the catalog lists (with --db).")
    var landmarks = "data/landmarks"
    @Option(help: "A folder of sequences in the docs/SEQUENCES.md format instead of the catalog.")
    var sequences: String?
    @Option(help: "The shard folder to write (train/, val/, test/ go in it).")
    var out: String?
    @Option(help: "Frames per window.")
    var window = 60
    @Option(help: "Frames between window starts.")
    var stride = 30
    @Option(help: "Windows per shard.")
    var shardSize = 1024
    @Option(help: "Coordinates in x: world (metres) or image.")
    var coords = "world"
    @Option(help: "Train/val/test percentages for --sequences input, e.g. 80/10/10.")
    var splitRatios = "80/10/10"
    @Option(help: "Longest gap of missing frames (per landmark) filled by linear interpolation.")
    var maxGap = 5
    @Option(help: "Drop a window when more than this share of its frames had nobody in them.")
    var maxMissingFrames = 0.2
    @Option(help: "Drop a window when more than this share of its landmark entries were missing.")
    var maxMissingLandmarks = 0.2
    @Option(help: "Threads (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard (db == nil) != (sequences == nil) else { throw ValidationError("give either --db or --sequences") }
        guard out != nil else { throw ValidationError("--out is required: the shard folder to write") }
        guard window >= 2 else { throw ValidationError("--window must be at least 2, not \(window)") }
        guard stride >= 1 else { throw ValidationError("--stride must be at least 1, not \(stride)") }
        guard shardSize >= 1 else { throw ValidationError("--shard-size must be at least 1, not \(shardSize)") }
        guard WindowOptions.Coordinates(rawValue: coords) != nil else { throw ValidationError("--coords must be world or image, not '\(coords)'") }
        guard SplitPolicy(splitRatios) != nil else { throw ValidationError("--split-ratios wants three percentages like 80/10/10, not '\(splitRatios)'") }
        guard maxGap >= 0 else { throw ValidationError("--max-gap must be 0 or more") }
        for (name, value) in [("--max-missing-frames", maxMissingFrames), ("--max-missing-landmarks", maxMissingLandmarks)] {
            guard value >= 0, value <= 1 else { throw ValidationError("\(name) must be a share between 0 and 1, not \(value)") }
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let input: WindowOptions.Input = if let db {
            .catalog(path: db, landmarks: URL(fileURLWithPath: landmarks))
        } else {
            .folder(URL(fileURLWithPath: sequences ?? "."))
        }
        var options = WindowOptions(input: input, output: URL(fileURLWithPath: out ?? "."))
        options.window = window
        options.stride = stride
        options.shardSize = shardSize
        options.coords = WindowOptions.Coordinates(rawValue: coords) ?? .world
        options.splitPolicy = SplitPolicy(splitRatios) ?? SplitPolicy()
        options.thresholds = Thresholds(maxGap: maxGap, maxMissingFrames: maxMissingFrames, maxMissingLandmarks: maxMissingLandmarks)
        options.jobs = jobs
        let summary = try WindowRun(options: options).run()
        print(summary.table)
        if !summary.skipped.isEmpty { throw ExitCode(ExitStatus.failure) }
    }
}
