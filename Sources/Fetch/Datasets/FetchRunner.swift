import Datasets
import BiomechCore
import Foundation
import Logging

/// Fetches a set of datasets in parallel and summarises how each ended.
public struct FetchRunner: Sendable {
    public var options: FetchOptions
    /// Where every message goes (the manual-download instructions included).
    public var logger: Logger
    /// Where progress bars are drawn; `Console(isTerminal: false)` draws none.
    public var console: Console

    public init(options: FetchOptions, logger: Logger, console: Console) {
        self.options = options
        self.logger = logger
        self.console = console
    }

    /// Loads the manifests in `manifests`, keeps those named in `only` (all when empty), and fetches them.
    ///
    /// Throws `ConfigurationError` (exit 2) for a bad manifest or an unknown name, before fetching anything.
    public func run(manifests: URL, only: [String]) throws -> [DatasetOutcome] {
        var selected = try ManifestLoader.loadAll(from: manifests)
        if !only.isEmpty {
            let known = Set(selected.map(\.manifest.name))
            if let unknown = only.first(where: { !known.contains($0) }) {
                throw ConfigurationError(file: manifests.path, key: "--only",
                                         message: "no manifest named '\(unknown)'; known: \(known.sorted().joined(separator: ", "))")
            }
            selected = selected.filter { only.contains($0.manifest.name) }
        }
        let limiter = Limiter(options.jobs)
        let options = self.options, logger = self.logger, console = self.console
        return Parallel.map(selected, jobs: max(1, selected.count)) { loaded in
            DatasetFetcher(manifest: loaded.manifest, manifestFile: loaded.path, options: options, logger: logger,
                           console: console, limiter: limiter).run()
        }
    }

    /// The summary table printed at the end of a run.
    public static func summary(_ outcomes: [DatasetOutcome]) -> String {
        Format.table(header: ["dataset", "access", "state", "files", "bytes", "notes"], rows: outcomes.map {
            [$0.name, $0.access, $0.state.rawValue, "\($0.files)", Format.bytes($0.bytes), $0.notes.joined(separator: "; ")]
        })
    }

    /// 1 when any dataset failed, else 0 (waiting manual datasets do not fail a run).
    public static func exitCode(_ outcomes: [DatasetOutcome]) -> Int32 {
        outcomes.contains { $0.state == .failed } ? ExitStatus.failure : ExitStatus.success
    }
}
