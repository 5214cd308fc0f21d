import ArgumentParser
import BiomechCLI
import BiomechCore
import Datasets
import Fetch
import Foundation
import Logging

/// `biomech-fetch`: downloads and unpacks the datasets described in `manifests/`.
@main
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-fetch",
        abstract: "Download, verify and unpack the datasets described by manifests.",
        discussion: """
        For each dataset NAME: downloads go to OUT/NAME/downloads/, archives are unpacked into \
        OUT/NAME/files/, and OUT/NAME/FETCHED.json records what was fetched. Interrupted downloads \
        resume; a re-run with everything verified downloads nothing. See docs/FETCH.md.

        Exit status: 0 nothing failed (manual datasets may be waiting), 1 a dataset failed, \
        2 bad usage or a bad manifest.
        """,
        version: BiomechVersion.string)

    static func main() { CommandMain.run(Self.self) }

    @Option(help: "Folder of dataset manifests (*.yaml).")
    var manifests = "manifests"
    @Option(help: "Output folder.")
    var out = "data/raw"
    @Option(help: "Fetch only this dataset (repeatable).")
    var only: [String] = []
    @Option(help: "Transfers under way at once.")
    var jobs = 4
    @Option(help: "Failed attempts allowed per URL before trying the next mirror (0 to \(Self.maxRetries)).")
    var retries = 5
    @Option(help: ArgumentHelp("First retry delay, e.g. 0.5, 2s, 1m (doubles per failure, with jitter; at most a week).",
                               valueName: "duration"))
    var retryDelay = DurationArgument(argument: "1")!
    @Option(help: ArgumentHelp("Longest Retry-After a server may ask for, e.g. 600, 10m (at most a week).", valueName: "duration"))
    var maxRetryAfter = DurationArgument(argument: "600")!
    @Option(help: ArgumentHelp("Abort and resume a transfer that stays under 1 KiB/s this long, e.g. 30, 2m (1 s to a week).",
                               valueName: "duration"))
    var stallTimeout = DurationArgument(argument: "30")!
    @Option(help: ArgumentHelp("Most bytes one archive may unpack to: a size such as 500G or 2T (binary units).", valueName: "size"))
    var maxExtractSize = ByteSizeArgument(argument: "1T")!
    @Option(help: "Most unpacked bytes per archive byte (zip-bomb guard), more than 1 and at most \(Int(Self.maxRatioLimit)).")
    var maxRatio = 200.0
    @Option(help: "The yt-dlp program for YouTube lists.")
    var ytDlp = "yt-dlp"
    @Flag(help: "Say what would be fetched; change nothing.")
    var dryRun = false
    @Flag(help: "Re-hash every file on disk instead of trusting the receipt.")
    var verify = false
    @Flag(name: .shortAndLong, help: "Print debug messages.")
    var verbose = false

    /// Upper bounds that keep the downloader's arithmetic (retry budgets, ratio caps) far from overflow.
    static let maxRetries = 1000
    static let maxRatioLimit = 1e6

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard (0...Self.maxRetries).contains(retries) else {
            throw ValidationError("--retries: expected a count from 0 to \(Self.maxRetries), got \(retries)")
        }
        guard stallTimeout.seconds >= 1 else {
            throw ValidationError("--stall-timeout: expected at least 1 second, got '\(stallTimeout.defaultValueDescription)'")
        }
        // `> 1` is false for nan; `inf` is refused by the upper bound.
        guard maxRatio > 1, maxRatio <= Self.maxRatioLimit else {
            throw ValidationError("--max-ratio: expected a number more than 1 and at most \(Int(Self.maxRatioLimit)), got \(maxRatio)")
        }
    }

    func run() throws {
        ConsoleLogHandler.bootstrap(label: "biomech-fetch", level: verbose ? .debug : .info)
        let logger = Logger(label: "biomech-fetch")
        var options = FetchOptions(out: URL(fileURLWithPath: out))
        options.jobs = jobs
        options.dryRun = dryRun
        options.verify = verify
        options.download.retries = retries
        options.download.retryDelay = retryDelay.seconds
        options.download.maxRetryAfter = maxRetryAfter.seconds
        options.download.stallSeconds = stallTimeout.wholeSeconds
        options.limits.maxBytes = maxExtractSize.bytes
        options.limits.maxRatio = maxRatio
        options.ytDlp = ytDlp

        let outcomes: [DatasetOutcome]
        do {
            outcomes = try FetchRunner(options: options, logger: logger, console: .shared)
                .run(manifests: URL(fileURLWithPath: manifests), only: only)
        } catch let error as BiomechError {
            logger.error("\(error)")
            throw ExitCode(error.exitCode)
        }
        print(FetchRunner.summary(outcomes))
        let code = FetchRunner.exitCode(outcomes)
        if code != 0 { throw ExitCode(code) }
    }
}
