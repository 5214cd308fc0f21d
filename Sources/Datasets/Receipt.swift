import BiomechCore
import Foundation

/// `OUT/NAME/FETCHED.json`: what a fetch put on disk, written last and atomically.
///
/// Its presence with `state: complete` means every file verified and `files/` is in place. The
/// format is specified in docs/FETCH.md; the catalog stage reads it for provenance.
public struct Receipt: Codable, Sendable, Equatable {
    public var tool = "biomech-fetch"
    public var version = BiomechVersion.string
    public var dataset: String
    public var access: String
    /// SHA-256 of the manifest file's bytes when this receipt was written.
    public var manifestSHA256: String
    /// `complete`, or `partial` when some YouTube clips could not be fetched.
    public var state: State
    public var updatedAt: String
    public var files: [Entry]
    /// What `files/` was built from: each input's path and hash, in order.
    public var filesBuiltFrom: [String]
    public var clips: [Clip]

    public init(dataset: String, access: String, manifestSHA256: String, state: State, updatedAt: String,
                files: [Entry], filesBuiltFrom: [String], clips: [Clip]) {
        self.dataset = dataset; self.access = access; self.manifestSHA256 = manifestSHA256; self.state = state
        self.updatedAt = updatedAt; self.files = files; self.filesBuiltFrom = filesBuiltFrom; self.clips = clips
    }

    /// One verified file under `downloads/`.
    public struct Entry: Codable, Sendable, Equatable {
        /// Relative to the dataset folder, e.g. `downloads/countix.tar.gz`.
        public var path: String
        /// The URL it came from, or null for files placed by hand.
        public var url: String?
        public var sha256: String
        public var bytes: Int64
        /// Modification time (seconds since 1970) when verified; a change forces a re-hash.
        public var mtime: Double
        public var fetchedAt: String
        public var pinned: Bool
        public var bytesTransferred: Int64
        public var resumedFrom: Int64
        public var attempts: Int
        public var extracted: Bool

        public init(path: String, url: String?, sha256: String, bytes: Int64, mtime: Double, fetchedAt: String, pinned: Bool,
                    bytesTransferred: Int64, resumedFrom: Int64, attempts: Int, extracted: Bool) {
            self.path = path; self.url = url; self.sha256 = sha256; self.bytes = bytes; self.mtime = mtime
            self.fetchedAt = fetchedAt; self.pinned = pinned; self.bytesTransferred = bytesTransferred
            self.resumedFrom = resumedFrom; self.attempts = attempts; self.extracted = extracted
        }

        enum CodingKeys: String, CodingKey {
            case path, url, sha256, bytes, mtime, pinned, attempts, extracted
            case fetchedAt = "fetched_at"
            case bytesTransferred = "bytes_transferred"
            case resumedFrom = "resumed_from"
        }
    }

    /// One YouTube clip and what became of it.
    public struct Clip: Codable, Sendable, Equatable {
        public var id: String
        public var start: Double?
        public var end: Double?
        /// Relative to the dataset folder, when downloaded.
        public var path: String?
        public var state: ClipState
        public var message: String?
        /// For a playlist or channel source: the source's exercise (the clip's folder) and URL.
        public var exercise: String?
        public var source: String?

        public init(id: String, start: Double?, end: Double?, path: String?, state: ClipState, message: String?,
                    exercise: String? = nil, source: String? = nil) {
            self.id = id; self.start = start; self.end = end; self.path = path; self.state = state; self.message = message
            self.exercise = exercise; self.source = source
        }
    }

    /// Whether everything the manifest names is on disk.
    public enum State: String, Codable, Sendable {
        /// Every file verified and `files/` in place.
        case complete
        /// Some YouTube clips could not be fetched (or a manual dataset still waits for files).
        case partial
    }

    /// What became of one YouTube clip.
    public enum ClipState: String, Codable, Sendable {
        /// On disk under `files/youtube/`.
        case downloaded
        /// Removed or private on YouTube: not retried on later runs.
        case unavailable
        /// Failed this time; retried on the next run.
        case failed
        /// From a playlist or channel, but its info JSON put it outside the manifest's filters (date,
        /// length): deleted, and not fetched again until the manifest changes.
        case filtered
    }

    enum CodingKeys: String, CodingKey {
        case tool, version, dataset, access, state, files, clips
        case manifestSHA256 = "manifest_sha256"
        case updatedAt = "updated_at"
        case filesBuiltFrom = "files_built_from"
    }

    public static let fileName = "FETCHED.json"

    /// Reads a receipt; nil when there is none or it cannot be parsed (it is then rebuilt).
    public static func read(from folder: URL) -> Receipt? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(fileName)) else { return nil }
        return try? JSONDecoder().decode(Receipt.self, from: data)
    }

    /// Writes the receipt atomically.
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(encoder.encode(self) + Data("\n".utf8), to: folder.appendingPathComponent(Self.fileName))
    }

    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
