import BiomechCore
import Database
import CatalogStore
import Drawing
import Foundation

/// Dataset cards (`biomech-catalog report`): per dataset, Markdown with its counts and two charts,
/// exercise by quality and the distribution of durations, so a person can look instead of read.
public enum DatasetReport {
    static let levels = ["excellent", "good", "fair", "poor", "unlabeled"]

    /// Writes `NAME.md`, `NAME-exercise-quality.png` and `NAME-duration.png` per dataset; returns the card paths.
    public static func writeAll(_ db: Database, to folder: URL) throws -> [String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let datasets = try db.records("SELECT name, title, homepage, license, commercial_use, access, receipt_state, fetched_at FROM datasets ORDER BY name",
                                      table: "datasets")
        return try datasets.map { row in
            let name = try row.string("name")
            let card = folder.appendingPathComponent("\(name).md")
            try AtomicFile.write(Data(try Self.card(db, dataset: row, folder: folder).utf8), to: card)
            return card.path
        }
    }

    static func card(_ db: Database, dataset row: Record, folder: URL) throws -> String {
        let name = try row.string("name")
        let key = [SQLValue(name)]
        let summary = try db.query("SELECT videos, hours, gigabytes, with_exercise, with_quality, probe_errors, duplicates FROM dataset_summary WHERE dataset = ?", key)
        let counts = try db.records("""
            SELECT COALESCE(exercise, 'unlabeled') AS exercise, COALESCE(quality, 'unlabeled') AS quality, COUNT(*) AS videos
            FROM videos WHERE dataset = ? AND probe_error IS NULL AND duplicate_of IS NULL GROUP BY 1, 2 ORDER BY 1
            """, key, table: "videos")
        var exercises: [String] = []
        var table: [String: [Double]] = [:]
        for r in counts {
            let exercise = try r.string("exercise"), level = levels.firstIndex(of: try r.string("quality")) ?? levels.count - 1
            if table[exercise] == nil { exercises.append(exercise) }
            table[exercise, default: Array(repeating: 0, count: levels.count)][level] += Double(try r.int("videos"))
        }
        let barFile = "\(name)-exercise-quality.png", histogramFile = "\(name)-duration.png"
        var bars = BarChart(title: "\(name): videos by exercise and quality", categories: exercises, series: levels,
                            values: exercises.map { table[$0] ?? [] }, valueLabel: "videos")
        bars.colors = Array(bars.colors.prefix(4)) + [RGB(0.6, 0.6, 0.6)]   // unlabeled in grey, after the four levels
        try bars.write(to: folder.appendingPathComponent(barFile))
        let durations = try db.query("SELECT duration_s FROM videos WHERE dataset = ? AND duration_s IS NOT NULL AND duplicate_of IS NULL", key).rows.compactMap { $0[0].double }
        try Histogram(title: "\(name): video durations", values: durations, valueLabel: "duration (s)")
            .write(to: folder.appendingPathComponent(histogramFile))
        let splits = try db.query("SELECT split, COUNT(*) AS videos, COUNT(DISTINCT group_key) AS groups FROM videos WHERE dataset = ? GROUP BY split ORDER BY split", key)
        let problems = try db.query("SELECT problem, COUNT(*) AS videos FROM problems WHERE dataset = ? GROUP BY problem ORDER BY problem", key)
        func markdown(_ result: QueryResult) -> String {
            guard !result.rows.isEmpty else { return "_none_\n" }
            let header = "| " + result.columns.joined(separator: " | ") + " |\n|" + result.columns.map { _ in "---|" }.joined() + "\n"
            return header + result.rows.map { "| " + $0.map(\.display).joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
        }
        func text(_ column: String) throws -> String { try row.value(column).display }
        let receipt = try row.value("receipt_state").isNull ? "none" : "\(try text("receipt_state")), \(try text("fetched_at"))"
        return """
            # \(try text("title")) (`\(name)`)

            - Homepage: \(try text("homepage"))
            - Licence: \(try text("license")) (commercial use: \(try row.optionalInt("commercial_use") == 1 ? "yes" : "no"))
            - Access: \(try text("access")); fetch receipt: \(receipt)

            ## Counts

            \(markdown(summary))
            ## Exercise by quality

            Videos that probed fine, copies left out (as in the `exercise_quality` view).

            ![videos by exercise and quality](\(barFile))

            ## Durations

            ![video durations](\(histogramFile))

            ## Splits

            \(markdown(splits))
            ## Problems

            \(markdown(problems))
            Made by `biomech-catalog report` from the catalog (schema version \(CatalogStore.version)).

            """
    }
}
