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
        let datasets = try db.query("SELECT name, title, homepage, license, commercial_use, access, receipt_state, fetched_at FROM datasets ORDER BY name").rows
        return try datasets.map { row in
            let name = row[0].string!
            let card = folder.appendingPathComponent("\(name).md")
            try AtomicFile.write(Data(try Self.card(db, dataset: row, folder: folder).utf8), to: card)
            return card.path
        }
    }

    static func card(_ db: Database, dataset row: [SQLValue], folder: URL) throws -> String {
        let name = row[0].string!
        let key = [SQLValue(name)]
        let summary = try db.query("SELECT videos, hours, gigabytes, with_exercise, with_quality, probe_errors, duplicates FROM dataset_summary WHERE dataset = ?", key)
        let counts = try db.query("""
            SELECT COALESCE(exercise, 'unlabeled'), COALESCE(quality, 'unlabeled'), COUNT(*) FROM videos
            WHERE dataset = ? AND probe_error IS NULL AND duplicate_of IS NULL GROUP BY 1, 2 ORDER BY 1
            """, key).rows
        var exercises: [String] = []
        var table: [String: [Double]] = [:]
        for r in counts {
            let exercise = r[0].string!, level = levels.firstIndex(of: r[1].string!) ?? levels.count - 1
            if table[exercise] == nil { exercises.append(exercise); table[exercise] = Array(repeating: 0, count: levels.count) }
            table[exercise]![level] += Double(r[2].int ?? 0)
        }
        let barFile = "\(name)-exercise-quality.png", histogramFile = "\(name)-duration.png"
        var bars = BarChart(title: "\(name): videos by exercise and quality", categories: exercises, series: levels,
                            values: exercises.map { table[$0]! }, valueLabel: "videos")
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
        return """
            # \(row[1].display) (`\(name)`)

            - Homepage: \(row[2].display)
            - Licence: \(row[3].display) (commercial use: \(row[4].int == 1 ? "yes" : "no"))
            - Access: \(row[5].display); fetch receipt: \(row[6].isNull ? "none" : "\(row[6].display), \(row[7].display)")

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
