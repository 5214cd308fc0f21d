import Database
import Datasets

/// How an extraction attempt ended (`sequences.status`).
public enum SequenceStatus: String, Sendable, Codable, CaseIterable {
    case ok
    /// The video decoded but no frame showed a person.
    case noPerson = "no_person"
    /// The file could not be decoded, had no frames, or reading stopped part-way.
    case decodeError = "decode_error"
    /// The worker process died on this video (a crash in the C libraries, or a kill).
    case workerCrash = "worker_crash"
}

/// One `sequences` row: the latest extraction attempt of a video.
public struct SequenceRow: Sendable, Equatable {
    public var videoID: Int64
    /// Relative to the landmarks folder, e.g. `countix/17.npy`; nil unless `status` is `.ok`.
    public var path: String?
    public var videoSHA256: String
    public var frames: Int
    public var fps: Double?
    public var detectedFraction: Double?
    public var meanVisibility: Double?
    public var backend: String
    public var settingsSHA256: String
    public var status: SequenceStatus
    public var message: String?
    public var seconds: Double
    public var extractedAt: String

    public init(videoID: Int64, path: String?, videoSHA256: String, frames: Int, fps: Double?, detectedFraction: Double?,
                meanVisibility: Double?, backend: String, settingsSHA256: String, status: SequenceStatus, message: String?,
                seconds: Double, extractedAt: String) {
        self.videoID = videoID; self.path = path; self.videoSHA256 = videoSHA256; self.frames = frames; self.fps = fps
        self.detectedFraction = detectedFraction; self.meanVisibility = meanVisibility; self.backend = backend
        self.settingsSHA256 = settingsSHA256; self.status = status; self.message = message; self.seconds = seconds
        self.extractedAt = extractedAt
    }

    var fields: [(column: String, value: SQLValue)] {
        [("video_id", .integer(videoID)), ("path", SQLValue(path)), ("video_sha256", SQLValue(videoSHA256)),
         ("frames", SQLValue(frames)), ("fps", SQLValue(fps)), ("detected_fraction", SQLValue(detectedFraction)),
         ("mean_visibility", SQLValue(meanVisibility)), ("backend", SQLValue(backend)),
         ("settings_sha256", SQLValue(settingsSHA256)), ("status", SQLValue(status.rawValue)), ("message", SQLValue(message)),
         ("seconds", SQLValue(seconds)), ("extracted_at", SQLValue(extractedAt))]
    }
}

/// A catalogued video as extraction sees it: where it is, what it is, how long it is.
public struct ExtractCandidate: Sendable, Equatable {
    public var videoID: Int64
    public var dataset: String
    /// Relative to the dataset's `files/` folder.
    public var path: String
    public var sha256: String
    public var exercise: String?, quality: String?
    public var split: Split
    /// From probing: the file's frame count and average rate.
    public var frameCount: Int, fps: Double
}

/// Which videos to extract: every filter that is set must match.
public struct SequenceSelection: Sendable, Equatable {
    public var datasets: [String] = []
    public var exercises: [String] = []
    public var splits: [Split] = []
    public var limit: Int?
    /// Also the videos whose sequence is up to date.
    public var force = false

    public init(datasets: [String] = [], exercises: [String] = [], splits: [Split] = [], limit: Int? = nil, force: Bool = false) {
        self.datasets = datasets; self.exercises = exercises; self.splits = splits; self.limit = limit; self.force = force
    }
}

/// The `sequences` table: which videos need extracting, and the outcome of each attempt.
public struct SequenceTable {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    /// Videos matching `selection` that have no up-to-date sequence for `settingsSHA256`, in dataset and path order.
    ///
    /// Up to date: the last attempt read the same file (sha256) with the same settings and did not end in
    /// a worker crash (a crash may not happen again; a decode error or an empty video would). Probe
    /// failures and duplicates (`duplicate_of`) are never candidates.
    public func candidates(_ selection: SequenceSelection, settingsSHA256: String) throws -> [ExtractCandidate] {
        var conditions = ["v.probe_error IS NULL", "v.duplicate_of IS NULL"]
        var values: [SQLValue] = []
        func oneOf(_ column: String, _ list: [String]) {
            guard !list.isEmpty else { return }
            conditions.append("\(column) IN (\(list.map { _ in "?" }.joined(separator: ", ")))")
            values += list.map { SQLValue($0) }
        }
        oneOf("v.dataset", selection.datasets)
        oneOf("v.exercise", selection.exercises)
        oneOf("v.split", selection.splits.map(\.rawValue))
        if !selection.force {
            conditions.append("(s.video_id IS NULL OR s.video_sha256 <> v.sha256 OR s.settings_sha256 <> ? OR s.status = 'worker_crash')")
            values.append(SQLValue(settingsSHA256))
        }
        var sql = """
            SELECT v.id, v.dataset, v.path, v.sha256, v.exercise, v.quality, v.split, v.frame_count, v.fps
            FROM videos v LEFT JOIN sequences s ON s.video_id = v.id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY v.dataset, v.path
            """
        if let limit = selection.limit {
            sql += " LIMIT ?"
            values.append(SQLValue(limit))
        }
        return try db.records(sql, values, table: "videos").map { row in
            let text = try row.string("split")
            guard let split = Split(rawValue: text) else { throw RecordError(row, "split", "holds '\(text)'; expected train, val or test") }
            return ExtractCandidate(videoID: Int64(try row.int("id")), dataset: try row.string("dataset"), path: try row.string("path"),
                                    sha256: try row.string("sha256"), exercise: try row.optionalString("exercise"),
                                    quality: try row.optionalString("quality"), split: split,
                                    frameCount: try row.optionalInt("frame_count") ?? 0, fps: try row.optionalDouble("fps") ?? 0)
        }
    }

    /// Stores an attempt, replacing the video's previous one.
    public func record(_ row: SequenceRow) throws {
        let fields = row.fields
        try db.execute("INSERT OR REPLACE INTO sequences (\(fields.map(\.column).joined(separator: ", "))) VALUES (\(fields.map { _ in "?" }.joined(separator: ", ")))",
                       fields.map(\.value))
    }

    /// The path of every sequence recorded `ok`, by video id.
    public func okPaths() throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        for row in try db.records("SELECT video_id, path FROM sequences WHERE status = 'ok'", table: "sequences") {
            out[Int64(try row.int("video_id"))] = try row.string("path")
        }
        return out
    }

    /// The stored attempt for `videoID`, if any.
    public func row(videoID: Int64) throws -> SequenceRow? {
        try db.records("SELECT * FROM sequences WHERE video_id = ?", [.integer(videoID)], table: "sequences").first.map { row in
            let text = try row.string("status")
            guard let status = SequenceStatus(rawValue: text) else {
                throw RecordError(row, "status", "holds '\(text)'; expected one of \(SequenceStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return SequenceRow(videoID: videoID, path: try row.optionalString("path"), videoSHA256: try row.string("video_sha256"),
                               frames: try row.int("frames"), fps: try row.optionalDouble("fps"),
                               detectedFraction: try row.optionalDouble("detected_fraction"),
                               meanVisibility: try row.optionalDouble("mean_visibility"), backend: try row.string("backend"),
                               settingsSHA256: try row.string("settings_sha256"), status: status, message: try row.optionalString("message"),
                               seconds: try row.double("seconds"), extractedAt: try row.string("extracted_at"))
        }
    }
}
