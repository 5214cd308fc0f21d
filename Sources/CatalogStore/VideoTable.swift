import Database
import Datasets
import Foundation

/// What probing learnt about a video file (the `videos` columns filled from libavformat).
public struct MediaFacts: Sendable, Equatable {
    public var container: String, codec: String
    public var width: Int, height: Int, rotation: Int
    public var fps: Double, durationSeconds: Double
    public var frameCount: Int, frameCountCounted: Bool, hasAudio: Bool

    public init(container: String, codec: String, width: Int, height: Int, rotation: Int, fps: Double,
                durationSeconds: Double, frameCount: Int, frameCountCounted: Bool, hasAudio: Bool) {
        self.container = container; self.codec = codec; self.width = width; self.height = height
        self.rotation = rotation; self.fps = fps; self.durationSeconds = durationSeconds
        self.frameCount = frameCount; self.frameCountCounted = frameCountCounted; self.hasAudio = hasAudio
    }
}

/// One scanned file as a `videos` row: identity, file state, probe result, labels and split.
public struct ScannedVideo: Sendable {
    public var dataset: String, path: String, sha256: String
    public var sizeBytes: Int64, mtime: Double
    /// nil when probing failed (`probeError` says why).
    public var media: MediaFacts?
    public var probeError: String?
    public var labels: RuleLabels
    public var split: Split
    public var scannedAt: String

    public init(dataset: String, path: String, sha256: String, sizeBytes: Int64, mtime: Double, media: MediaFacts?,
                probeError: String?, labels: RuleLabels, split: Split, scannedAt: String) {
        self.dataset = dataset; self.path = path; self.sha256 = sha256; self.sizeBytes = sizeBytes; self.mtime = mtime
        self.media = media; self.probeError = probeError; self.labels = labels; self.split = split; self.scannedAt = scannedAt
    }

    /// Column names with their values: binding by name keeps the two lists from drifting apart.
    var fields: [(column: String, value: SQLValue)] {
        let m = media
        return [("dataset", SQLValue(dataset)), ("path", SQLValue(path)), ("sha256", SQLValue(sha256)),
                ("size_bytes", .integer(sizeBytes)), ("mtime", SQLValue(mtime)),
                ("container", SQLValue(m?.container)), ("codec", SQLValue(m?.codec)), ("width", SQLValue(m?.width)),
                ("height", SQLValue(m?.height)), ("rotation", SQLValue(m?.rotation)), ("fps", SQLValue(m?.fps)),
                ("duration_s", SQLValue(m?.durationSeconds)), ("frame_count", SQLValue(m?.frameCount)),
                ("frame_count_counted", m.map { SQLValue($0.frameCountCounted) } ?? .null),
                ("has_audio", m.map { SQLValue($0.hasAudio) } ?? .null), ("probe_error", SQLValue(probeError))]
            + VideoTable.labelFields(labels) + [("split", SQLValue(split.rawValue)), ("scanned_at", SQLValue(scannedAt))]
    }
}

/// A catalogued file's size and modification time, which decide whether it is probed again.
public struct StoredFile: Sendable, Equatable {
    public var id: Int64, sizeBytes: Int64, mtime: Double
}

/// The label columns of one stored video.
public struct StoredLabels: Sendable, Equatable {
    public var id: Int64, path: String, labels: RuleLabels
}

/// The `videos` table: typed reads and writes, columns by name.
public struct VideoTable {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    /// Size and modification time of every file of `dataset`, by path.
    public func files(dataset: String) throws -> [String: StoredFile] {
        var out: [String: StoredFile] = [:]
        for row in try db.records("SELECT id, path, size_bytes, mtime FROM videos WHERE dataset = ?", [SQLValue(dataset)], table: "videos") {
            out[try row.string("path")] = StoredFile(id: Int64(try row.int("id")), sizeBytes: Int64(try row.int("size_bytes")),
                                                      mtime: try row.double("mtime"))
        }
        return out
    }

    /// Removes videos by id (their annotations go with them).
    public func delete(ids: [Int64]) throws {
        let statement = try db.prepare("DELETE FROM videos WHERE id = ?")
        for id in ids { try statement.run([.integer(id)]) }
    }

    /// Inserts or updates scanned files. The update keeps labels and split, which `relabel` and the split pass own.
    public func upsert(_ videos: [ScannedVideo]) throws {
        guard let first = videos.first else { return }
        let columns = first.fields.map(\.column)
        let kept: Set<String> = ["dataset", "path", "exercise", "exercise_source", "quality", "quality_source",
                                 "group_key", "source_key", "split"]
        let statement = try db.prepare("""
            INSERT INTO videos (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (dataset, path) DO UPDATE SET \(columns.filter { !kept.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """)
        for video in videos { try statement.run(video.fields.map(\.value)) }
    }

    /// The labels stored for every video of `dataset`.
    public func labels(dataset: String) throws -> [StoredLabels] {
        try db.records("""
            SELECT id, path, exercise, exercise_source, quality, quality_source, group_key, source_key FROM videos WHERE dataset = ?
            """, [SQLValue(dataset)], table: "videos").map { row in
            func source(_ column: String) throws -> LabelSource? {
                guard let text = try row.optionalString(column) else { return nil }
                guard let source = LabelSource(rawValue: text) else {
                    throw RecordError(row, column, "holds '\(text)'; expected one of path_rule, filename_rule, annotation, manual")
                }
                return source
            }
            var labels = RuleLabels(groupKey: try row.string("group_key"))
            labels.exercise = try row.optionalString("exercise")
            labels.exerciseSource = try source("exercise_source")
            labels.quality = try row.optionalString("quality")
            labels.qualitySource = try source("quality_source")
            labels.sourceKey = try row.optionalString("source_key")
            return StoredLabels(id: Int64(try row.int("id")), path: try row.string("path"), labels: labels)
        }
    }

    /// Writes one video's labels.
    public func setLabels(id: Int64, _ labels: RuleLabels) throws {
        let fields = Self.labelFields(labels)
        try db.execute("UPDATE videos SET \(fields.map { "\($0.column) = ?" }.joined(separator: ", ")) WHERE id = ?",
                       fields.map(\.value) + [.integer(id)])
    }

    /// Every video as the split pass sees it, with its current split and duplicate link.
    public func splitMembers() throws -> [(member: SplitPolicy.Member, split: Split, duplicateOf: Int64?)] {
        try db.records("SELECT id, dataset, path, sha256, group_key, source_key, split, duplicate_of FROM videos", table: "videos").map { row in
            let text = try row.string("split")
            guard let split = Split(rawValue: text) else { throw RecordError(row, "split", "holds '\(text)'; expected train, val or test") }
            let member = SplitPolicy.Member(id: Int64(try row.int("id")), dataset: try row.string("dataset"), path: try row.string("path"),
                                            sha256: try row.string("sha256"), group: try row.string("group_key"),
                                            source: try row.optionalString("source_key"))
            return (member, split, try row.optionalInt("duplicate_of").map(Int64.init))
        }
    }

    /// Writes one video's split and duplicate link.
    public func setSplit(id: Int64, _ split: Split, duplicateOf: Int64?) throws {
        try db.execute("UPDATE videos SET split = ?, duplicate_of = ? WHERE id = ?",
                       [SQLValue(split.rawValue), duplicateOf.map { .integer($0) } ?? .null, .integer(id)])
    }

    static func labelFields(_ labels: RuleLabels) -> [(column: String, value: SQLValue)] {
        [("exercise", SQLValue(labels.exercise)), ("exercise_source", SQLValue(labels.exerciseSource?.rawValue)),
         ("quality", SQLValue(labels.quality)), ("quality_source", SQLValue(labels.qualitySource?.rawValue)),
         ("group_key", SQLValue(labels.groupKey)), ("source_key", SQLValue(labels.sourceKey))]
    }
}
