import Database

/// One window written from a catalogued sequence (`windows` row).
public struct WindowRow: Sendable, Equatable {
    public var split: String, shard: Int, row: Int
    public var videoID: Int64, startFrame: Int, frames: Int
    public var startSeconds: Double, endSeconds: Double

    public init(split: String, shard: Int, row: Int, videoID: Int64, startFrame: Int, frames: Int, startSeconds: Double, endSeconds: Double) {
        self.split = split; self.shard = shard; self.row = row; self.videoID = videoID; self.startFrame = startFrame
        self.frames = frames; self.startSeconds = startSeconds; self.endSeconds = endSeconds
    }
}

/// The `windows` table: where each window of a shard folder came from.
public struct WindowTable {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    /// Replaces the rows of shard folder `folder` with `rows`, in one transaction.
    public func replace(folder: String, with rows: [WindowRow]) throws {
        try db.transaction {
            try db.execute("DELETE FROM windows WHERE folder = ?", [SQLValue(folder)])
            let insert = try db.prepare("""
                INSERT INTO windows (folder, split, shard, row, video_id, start_frame, frames, start_s, end_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in rows {
                try insert.run([SQLValue(folder), SQLValue(r.split), SQLValue(r.shard), SQLValue(r.row), .integer(r.videoID),
                                SQLValue(r.startFrame), SQLValue(r.frames), SQLValue(r.startSeconds), SQLValue(r.endSeconds)])
            }
        }
    }
}
