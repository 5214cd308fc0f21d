import Foundation

/// Everything `biomech-fetch`'s options control, handed to `FetchRunner`.
public struct FetchOptions: Sendable {
    /// The output folder: `OUT/NAME/{downloads,files,FETCHED.json}` per dataset.
    public var out: URL
    /// Transfers (files or clips) under way at once, across all datasets.
    public var jobs = 4
    /// Report what would be done, touching nothing.
    public var dryRun = false
    /// Re-hash every file on disk instead of trusting the receipt's size and mtime.
    public var verify = false
    public var download = DownloadSettings()
    public var limits = ExtractionLimits()
    /// The yt-dlp program, by name (searched on PATH) or path.
    public var ytDlp = "yt-dlp"

    public init(out: URL) { self.out = out }
}

/// The paths of one dataset's folder.
struct DatasetFolder {
    let root: URL
    init(out: URL, name: String) { root = out.appendingPathComponent(name, isDirectory: true) }
    var downloads: URL { root.appendingPathComponent("downloads", isDirectory: true) }
    var files: URL { root.appendingPathComponent("files", isDirectory: true) }
    var lock: String { root.appendingPathComponent(".lock").path }
    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}

/// How one dataset ended, for the summary table and the exit code.
public struct DatasetOutcome: Sendable, Equatable {
    public enum State: String, Sendable {
        case fetched
        case upToDate = "up to date"
        case waiting
        case failed
        case planned = "would fetch"
        /// Made locally by a biomech tool; biomech-fetch only reports it.
        case generated
    }

    public var name: String
    public var access: String
    public var state: State
    public var files = 0
    public var bytes: Int64 = 0
    public var transferred: Int64 = 0
    public var notes: [String] = []
}
