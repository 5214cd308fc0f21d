import Database
import Datasets
import Foundation

/// One `youtube_videos` row: a catalogued clip and its yt-dlp info JSON.
public struct YouTubeRow: Sendable, Equatable {
    /// The clip's path relative to `files/`, as in `videos.path`.
    public var path: String
    public var info: YouTubeInfo
    /// The manifest's playlist or channel URL, from the fetch receipt.
    public var source: String?
    public var infoFile: String

    public init(path: String, info: YouTubeInfo, source: String?, infoFile: String) {
        self.path = path; self.info = info; self.source = source; self.infoFile = infoFile
    }
}

/// Typed writes of the `youtube_videos` table.
public struct YouTubeTable {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    /// Replaces the rows of `dataset`'s videos; rows for paths not catalogued are skipped.
    public func replace(dataset: String, _ rows: [YouTubeRow]) throws {
        try db.execute("DELETE FROM youtube_videos WHERE video_id IN (SELECT id FROM videos WHERE dataset = ?)", [SQLValue(dataset)])
        let insert = try db.prepare("""
            INSERT INTO youtube_videos (video_id, youtube_id, title, uploader, uploader_id, channel, channel_id, license,
                                        upload_date, duration_s, webpage_url, source, info_file)
            SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM videos WHERE dataset = ? AND path = ?
            """)
        for row in rows.sorted(by: { $0.path < $1.path }) {
            let i = row.info
            try insert.run([SQLValue(i.id), SQLValue(i.title), SQLValue(i.uploader), SQLValue(i.uploaderID), SQLValue(i.channel),
                            SQLValue(i.channelID), SQLValue(i.license), SQLValue(i.uploadDate.map(YouTubeFilter.dashed)),
                            SQLValue(i.duration), SQLValue(i.webpageURL), SQLValue(row.source), SQLValue(row.infoFile),
                            SQLValue(dataset), SQLValue(row.path)])
        }
    }

    /// The number of rows of `dataset`'s videos.
    public func count(dataset: String) throws -> Int {
        try db.records("SELECT COUNT(*) AS count FROM youtube_videos y JOIN videos v ON v.id = y.video_id WHERE v.dataset = ?",
                       [SQLValue(dataset)], table: "youtube_videos").first?.int("count") ?? 0
    }
}
