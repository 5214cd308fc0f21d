import BiomechCore
import Database
import Foundation

/// How query results are printed or saved: an aligned table for people, CSV (RFC 4180) or JSON for programs.
public enum ResultFormat: String, CaseIterable, Sendable {
    case table, csv, json

    public func render(_ result: QueryResult) -> String {
        switch self {
        case .table:
            return Format.table(header: result.columns, rows: result.rows.map { $0.map(\.display) })
        case .csv:
            let lines = [result.columns.map(Self.csvField)] + result.rows.map { $0.map { Self.csvField($0.display) } }
            return lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        case .json:
            let objects: [[String: Any]] = result.rows.map { row in
                var object: [String: Any] = [:]
                for (name, value) in zip(result.columns, row) { object[name] = Self.json(value) }
                return object
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func json(_ value: SQLValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .integer(let v): return v
        case .real(let v): return v.isFinite ? v : NSNull()
        case .text(let v): return v
        case .blob(let v): return v.map { String(format: "%02x", $0) }.joined()
        }
    }
}

/// Read-side operations of the catalog: stats, ad-hoc queries, CSV export.
public enum CatalogReader {
    /// Runs one statement on a read-only connection; anything but a query is refused by SQLite.
    public static func query(_ db: Database, _ sql: String) throws -> QueryResult { try db.query(sql) }

    /// Per-dataset summary with a total row (the `dataset_summary` view).
    public static func stats(_ db: Database) throws -> QueryResult {
        var result = try db.query("SELECT dataset, videos, hours, gigabytes, with_exercise, with_quality, probe_errors, duplicates, receipt_state FROM dataset_summary ORDER BY dataset")
        let total = try db.query("""
            SELECT 'total', COUNT(*), ROUND(COALESCE(SUM(duration_s), 0) / 3600.0, 2), ROUND(COALESCE(SUM(size_bytes), 0) / 1e9, 3),
                   COALESCE(SUM(exercise IS NOT NULL), 0), COALESCE(SUM(quality IS NOT NULL), 0),
                   COALESCE(SUM(probe_error IS NOT NULL), 0), COALESCE(SUM(duplicate_of IS NOT NULL), 0), NULL FROM videos
            """)
        result.rows += total.rows
        return result
    }

    /// Writes every table and view as `NAME.csv` into `folder`, each atomically.
    public static func export(_ db: Database, to folder: URL) throws -> [String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let names = try db.query("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .rows.compactMap { $0[0].string }
        for name in names {
            let result = try db.query("SELECT * FROM \"\(name)\"")
            try AtomicFile.write(Data(ResultFormat.csv.render(result).utf8), to: folder.appendingPathComponent("\(name).csv"))
        }
        return names
    }
}
