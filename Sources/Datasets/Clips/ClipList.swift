import BiomechCore
import Foundation
import SwiftCSV

/// One YouTube clip a dataset lists: a video id and an optional span in seconds.
public struct ClipSpec: Hashable, Sendable {
    public var id: String
    public var start: Double?
    public var end: Double?

    public init(id: String, start: Double? = nil, end: Double? = nil) {
        self.id = id; self.start = start; self.end = end
    }

    /// The clip's file name without extension (`YouTubeClipName.base`).
    public var baseName: String { YouTubeClipName.base(id: id, start: start, end: end) }
}

/// Reads the clip lists a manifest's `youtube:` section names (CSV files with an id column and optional span columns).
public enum ClipList {
    /// The longest span bound accepted, in seconds (a day): larger values are typing errors, and `inf` or `1e30` cannot name a file.
    public static let maximumSeconds = 86_400.0

    /// The clips in the CSV files of `list`, in order and without duplicates; `resolve` maps a list's relative path to a file.
    ///
    /// A missing file or column is a configuration error naming the manifest; a bad id or time names the CSV file, line and column.
    public static func read(_ list: YouTubeList, manifestFile: String, resolve: (String) -> URL) throws -> [ClipSpec] {
        var seen = Set<ClipSpec>()
        var specs: [ClipSpec] = []
        for relative in list.lists {
            let url = resolve(relative)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ConfigurationError(file: manifestFile, key: "youtube.lists",
                                         message: "clip list \(url.path) does not exist after fetching the dataset's files")
            }
            let text: String
            do { text = try String(contentsOf: url, encoding: .utf8) } catch {
                throw ConfigurationError(file: url.path, message: "cannot read the clip list as UTF-8 text (\(error.localizedDescription))")
            }
            for spec in try parse(text, list: list, file: url.path, manifestFile: manifestFile) where seen.insert(spec).inserted {
                specs.append(spec)
            }
        }
        return specs
    }

    /// The clips of one CSV text; `file` names it in errors.
    public static func parse(_ text: String, list: YouTubeList, file: String, manifestFile: String) throws -> [ClipSpec] {
        let csv: CSV<Named>
        do { csv = try CSV<Named>(string: text, delimiter: .comma, loadColumns: false) } catch {
            throw ConfigurationError(file: file, message: "not a CSV file (\(error))")
        }
        guard let idColumn = list.idColumn else {
            throw ConfigurationError(file: manifestFile, key: "youtube.id_column", message: "required with 'lists': the column holding the video id")
        }
        for column in [idColumn, list.startColumn, list.endColumn].compactMap({ $0 }) where !csv.header.contains(column) {
            throw ConfigurationError(file: manifestFile, key: "youtube", message:
                "column '\(column)' not in \(file) (columns: \(csv.header.joined(separator: ", ")))")
        }
        var specs: [ClipSpec] = []
        for (row, fields) in csv.rows.enumerated() {
            guard let id = fields[idColumn], !id.isEmpty else { continue }
            guard id.range(of: "^[A-Za-z0-9_-]{6,20}$", options: .regularExpression) != nil else {
                throw ConfigurationError(file: file, line: row + 2, key: idColumn, message: "'\(id)' is not a YouTube video id")
            }
            func seconds(_ column: String?) throws -> Double? {
                guard let column, let raw = fields[column], !raw.isEmpty else { return nil }
                guard let value = Double(raw), value.isFinite, value >= 0, value <= maximumSeconds else {
                    throw ConfigurationError(file: file, line: row + 2, key: column,
                                             message: "expected a time in seconds from 0 to \(Int(maximumSeconds)), got '\(raw)'")
                }
                return value
            }
            specs.append(ClipSpec(id: id, start: try seconds(list.startColumn), end: try seconds(list.endColumn)))
        }
        return specs
    }
}

/// The file name (without extension) of a fetched YouTube clip under `files/youtube/`.
///
/// Shared by fetch, which names the file, and the catalog, which finds a clip from an annotation row the same way.
public enum YouTubeClipName {
    /// `ID`, or `ID_START_END` in seconds (whole numbers without a decimal point; a missing end is `end`).
    ///
    /// Times outside what an `Int` holds (never produced by `ClipList`, which refuses them) are written as Swift prints them.
    public static func base(id: String, start: Double?, end: Double?) -> String {
        func seconds(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        }
        guard start != nil || end != nil else { return id }
        return "\(id)_\(start.map(seconds) ?? "0")_\(end.map(seconds) ?? "end")"
    }
}

/// The folder under a dataset's `files/` that holds its YouTube clips (and their `.info.json` files).
public enum YouTubeFolder {
    public static let name = "youtube"
}
