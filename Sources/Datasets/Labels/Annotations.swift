import BiomechCore
import Foundation
import SwiftCSV

/// One fact from an annotation file, attached to a video (`annotations` table).
public struct Annotation: Equatable, Sendable {
    public var kind: String
    public var value: String?
    public var number: Double?
    public var start: Double?, end: Double?
    public var sourceFile: String
    public var line: Int

    public init(kind: String, value: String? = nil, number: Double? = nil, start: Double? = nil, end: Double? = nil, sourceFile: String, line: Int) {
        self.kind = kind; self.value = value; self.number = number; self.start = start; self.end = end
        self.sourceFile = sourceFile; self.line = line
    }
}

/// What a dataset's annotation files say, keyed by video path (relative to `files/`).
public struct AnnotationIndex: Sendable {
    public var byVideo: [String: [Annotation]] = [:]
    /// The exercise each annotated video's class maps to (classes outside the vocabulary are left out).
    public var exercise: [String: String] = [:]
    /// The quality level an expert rating gives a video (e.g. ALEX-GYM-1's criteria met, as a form score).
    public var quality: [String: String] = [:]
    /// Problems worth a warning (unreadable file, bad row), each naming the file and line.
    public var warnings: [String] = []
    /// Size and modification time of every file read: when unchanged, the stored annotations stand.
    public var fingerprint = ""

    /// An empty index, to which `addCountix` adds facts.
    public init() {}

    /// Reads every annotation source of a dataset; `videos` are the catalogued paths, to match rows to files.
    public init(sources: [AnnotationSource], filesFolder: URL, videos: Set<String>, vocabulary: ExerciseVocabulary) {
        var clipPaths: [String: String] = [:]   // clip base name -> path, for YouTube-style names
        for path in videos { clipPaths[PathText.stem(path)] = path }
        for source in sources {
            for file in Self.files(matching: source.files, in: filesFolder) {
                let url = filesFolder.appendingPathComponent(file)
                let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
                fingerprint += "\(file):\((attributes?[.size] as? Int) ?? -1):\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0);"
                switch source.format {
                case .countixCSV: readCountix(url, relative: file, clipPaths: clipPaths, vocabulary: vocabulary)
                case .alexGymXLSX:
                    do {
                        let sheet = try AlexGymSheet(Spreadsheet.read(url), file: url.path, vocabulary: vocabulary)
                        warnings += sheet.warnings
                        addAlexGym(sheet, relative: file, videos: videos)
                    } catch {
                        warnings.append("\(error)")
                    }
                case .qevdFitCoachJSON: addFitCoach(url, relative: file, videos: videos, vocabulary: vocabulary)
                }
            }
        }
    }

    /// Files under `folder` whose relative path matches one of the globs, sorted.
    static func files(matching globs: [String], in folder: URL) -> [String] {
        let patterns = globs.map(PathGlob.init)
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            if patterns.contains(where: { $0.matches(path) }) { found.append(path) }
        }
        return found.sorted()
    }

    /// Countix: `video_id,class,kinetics_start,kinetics_end,repetition_start,repetition_end,count`.
    /// The clip file starts at kinetics_start, so repetition spans are stored relative to it.
    mutating func readCountix(_ url: URL, relative: String, clipPaths: [String: String], vocabulary: ExerciseVocabulary) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            warnings.append("\(url.path): cannot read the file")
            return
        }
        addCountix(String(decoding: data, as: UTF8.self), file: url.path, relative: relative, clipPaths: clipPaths, vocabulary: vocabulary)
    }

    /// Adds the facts of one Countix CSV text; `file` names it in warnings, `relative` in the facts' `source_file`.
    public mutating func addCountix(_ text: String, file: String, relative: String, clipPaths: [String: String],
                                    vocabulary: ExerciseVocabulary) {
        let url = URL(fileURLWithPath: file)
        let csv: CSV<Named>
        do { csv = try CSV<Named>(string: text, delimiter: .comma, loadColumns: false) } catch {
            warnings.append("\(url.path): cannot read as CSV (\(error))")
            return
        }
        let needed = ["video_id", "class", "kinetics_start", "kinetics_end", "repetition_start", "repetition_end", "count"]
        let missing = needed.filter { !csv.header.contains($0) }
        guard missing.isEmpty else {
            warnings.append("\(url.path):1: missing column(s) \(missing.joined(separator: ", ")); expected \(needed.joined(separator: ","))")
            return
        }
        for (i, row) in csv.rows.enumerated() {
            let line = i + 2
            guard let id = row["video_id"], !id.isEmpty else { warnings.append("\(url.path):\(line): empty video_id"); continue }
            let start = Double(row["kinetics_start"] ?? ""), end = Double(row["kinetics_end"] ?? "")
            guard let path = clipPaths[YouTubeClipName.base(id: id, start: start, end: end)] ?? clipPaths[id] else { continue }
            var facts: [Annotation] = []
            func add(_ kind: String, value: String? = nil, number: Double? = nil, from: Double? = nil, to: Double? = nil) {
                facts.append(Annotation(kind: kind, value: value, number: number, start: from, end: to, sourceFile: relative, line: line))
            }
            if let name = row["class"], !name.isEmpty {
                add("class", value: name)
                if let canonical = vocabulary.canonical(name) { exercise[path] = canonical }
            }
            if let count = Double(row["count"] ?? "") { add("repetition_count", number: count) }
            if let a = Double(row["repetition_start"] ?? ""), let b = Double(row["repetition_end"] ?? "") {
                add("repetition_span", from: a - (start ?? 0), to: b - (start ?? 0))
            }
            byVideo[path, default: []] += facts
        }
    }
}
