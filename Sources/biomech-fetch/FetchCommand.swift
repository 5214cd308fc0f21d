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
    @Option(help: "Failed attempts allowed per URL before trying the next mirror.")
    var retries = 5
    @Option(help: "First retry delay in seconds (doubles per failure, with jitter).")
    var retryDelay = 1.0
    @Option(help: "Longest Retry-After (seconds) a server may ask for.")
    var maxRetryAfter = 600.0
    @Option(help: "Abort and resume a transfer that stays under 1 KiB/s for this many seconds.")
    var stallTimeout = 30
    @Option(help: "Most bytes one archive may unpack to (e.g. 500G, 2T).")
    var maxExtractSize = "1T"
    @Option(help: "Most unpacked bytes per archive byte (zip-bomb guard).")
    var maxRatio = 200.0
    @Option(help: "The yt-dlp program for YouTube lists.")
    var ytDlp = "yt-dlp"
    @Flag(help: "Say what would be fetched; change nothing.")
    var dryRun = false
    @Flag(help: "Re-hash every file on disk instead of trusting the receipt.")
    var verify = false
    @Flag(name: .shortAndLong, help: "Print debug messages.")
    var verbose = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard retries >= 0 else { throw ValidationError("--retries must be 0 or more") }
        guard stallTimeout >= 1 else { throw ValidationError("--stall-timeout must be at least 1 second") }
        guard maxRatio > 1 else { throw ValidationError("--max-ratio must be more than 1") }
        guard ByteSize.parse(maxExtractSize) != nil else {
            throw ValidationError("--max-extract-size: expected a size such as 500G or 2T, got '\(maxExtractSize)'")
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
        options.download.retryDelay = retryDelay
        options.download.maxRetryAfter = maxRetryAfter
        options.download.stallSeconds = stallTimeout
        options.limits.maxBytes = ByteSize.parse(maxExtractSize)!
        options.limits.maxRatio = maxRatio
        options.ytDlp = ytDlp

        let outcomes: [DatasetOutcome]
        do {
            outcomes = try FetchRunner(options: options, logger: logger)
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
