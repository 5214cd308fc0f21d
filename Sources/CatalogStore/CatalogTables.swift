import Database
import Datasets
import Foundation

/// The `datasets` row of one manifest, with what its fetch receipt says.
public struct DatasetRow: Sendable {
    public var name: String, title: String, homepage: String, license: String, commercialUse: Bool, access: String
    public var manifestSHA256: String, receiptSHA256: String?, receiptState: Receipt.State?, fetchedAt: String?
    public var scannedAt: String

    public init(name: String, title: String, homepage: String, license: String, commercialUse: Bool, access: String,
                manifestSHA256: String, receiptSHA256: String?, receiptState: Receipt.State?, fetchedAt: String?, scannedAt: String) {
        self.name = name; self.title = title; self.homepage = homepage; self.license = license
        self.commercialUse = commercialUse; self.access = access; self.manifestSHA256 = manifestSHA256
        self.receiptSHA256 = receiptSHA256; self.receiptState = receiptState; self.fetchedAt = fetchedAt; self.scannedAt = scannedAt
    }
}

/// Typed writes of the `datasets`, `annotations` and `settings` tables.
public struct CatalogTables {
    public let db: Database

    public init(_ db: Database) { self.db = db }

    /// Inserts or updates a dataset's row.
    public func upsert(_ d: DatasetRow) throws {
        let fields: [(String, SQLValue)] = [
            ("name", SQLValue(d.name)), ("title", SQLValue(d.title)), ("homepage", SQLValue(d.homepage)),
            ("license", SQLValue(d.license)), ("commercial_use", SQLValue(d.commercialUse)), ("access", SQLValue(d.access)),
            ("manifest_sha256", SQLValue(d.manifestSHA256)), ("receipt_sha256", SQLValue(d.receiptSHA256)),
            ("receipt_state", SQLValue(d.receiptState?.rawValue)), ("fetched_at", SQLValue(d.fetchedAt)),
            ("scanned_at", SQLValue(d.scannedAt))]
        let columns = fields.map(\.0)
        try db.execute("""
            INSERT INTO datasets (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (name) DO UPDATE SET \(columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """, fields.map(\.1))
    }

    /// Removes every dataset not named (with its videos and their annotations).
    public func deleteDatasets(except names: [String]) throws {
        let placeholders = names.isEmpty ? "''" : Array(repeating: "?", count: names.count).joined(separator: ",")
        try db.execute("DELETE FROM datasets WHERE name NOT IN (\(placeholders))", names.map { SQLValue($0) })
    }

    /// Replaces the annotations of `dataset`'s videos; facts for paths not catalogued are skipped.
    public func replaceAnnotations(dataset: String, _ byVideo: [String: [Annotation]]) throws {
        try db.execute("DELETE FROM annotations WHERE video_id IN (SELECT id FROM videos WHERE dataset = ?)", [SQLValue(dataset)])
        let insert = try db.prepare("""
            INSERT INTO annotations (video_id, kind, value, number, start_s, end_s, source_file, source_line)
            SELECT id, ?, ?, ?, ?, ?, ?, ? FROM videos WHERE dataset = ? AND path = ?
            """)
        for (path, facts) in byVideo.sorted(by: { $0.key < $1.key }) {
            for a in facts {
                try insert.run([SQLValue(a.kind), SQLValue(a.value), SQLValue(a.number), SQLValue(a.start), SQLValue(a.end),
                                SQLValue(a.sourceFile), SQLValue(a.line), SQLValue(dataset), SQLValue(path)])
            }
        }
    }

    /// The number of annotation rows of `dataset`'s videos.
    public func annotationCount(dataset: String) throws -> Int {
        try db.records("SELECT COUNT(*) AS count FROM annotations a JOIN videos v ON v.id = a.video_id WHERE v.dataset = ?",
                       [SQLValue(dataset)], table: "annotations").first?.int("count") ?? 0
    }

    /// The value stored under `key` in `settings`, or nil.
    public func setting(_ key: String) throws -> String? {
        try db.records("SELECT key, value FROM settings WHERE key = ?", [SQLValue(key)], table: "settings").first?.optionalString("value")
    }

    /// Stores `value` under `key` in `settings`.
    public func setSetting(_ key: String, _ value: String) throws {
        try db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       [SQLValue(key), SQLValue(value)])
    }
}
