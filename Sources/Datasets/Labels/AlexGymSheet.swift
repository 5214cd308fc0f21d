import Biomechanics
import Foundation

/// One ALEX-GYM-1 spreadsheet (`squat.xlsx`, `deadlift.xlsx`, `lunges.xlsx`): per recording, its
/// frontal and lateral video numbers and a 0-or-1 rating on each biomechanical criterion.
///
/// Columns, as the authors' notebooks print the squat sheet: `Num Video Frontal`, `Num Video
/// Lateral`, `NumIdx`, `Action`, one column per criterion ending in ` F` (judged on the frontal
/// view) or ` L` (lateral), per-view `Score:` sums, `Total Score - /6`, `class` (0 deadlift, 1 squat,
/// 2 lunges) and `rating`. Criteria are found by their view suffix, so the deadlift and lunge sheets
/// (whose criteria are not published) are read the same way.
public struct AlexGymSheet: Sendable, Equatable {
    public struct Criterion: Sendable, Equatable {
        /// The header as written, e.g. "Hips are lower than knees level (1 point) L".
        public var name: String
        /// "frontal" or "lateral".
        public var view: String
    }

    public struct Recording: Sendable, Equatable {
        /// The spreadsheet row (1 is the header).
        public var line: Int
        public var frontal: Int?, lateral: Int?
        public var numIdx: Int?
        /// The catalog's exercise name, from `class` (or `Action` when `class` is empty).
        public var exercise: String?
        /// Each criterion's rating, 0 or 1, in column order; nil where the cell is empty.
        public var ratings: [Double?]

        /// 100 x the criteria met / the criteria rated; nil when none is rated.
        public var formScore: Double? {
            let rated = ratings.compactMap { $0 }
            return rated.isEmpty ? nil : 100 * rated.reduce(0, +) / Double(rated.count)
        }
    }

    public var criteria: [Criterion]
    public var recordings: [Recording]
    /// Rows skipped, each naming its line and why.
    public var warnings: [String]

    static let classes = [0: "single_leg_deadlift", 1: "squat", 2: "lunge"]

    /// Reads the sheet's rows; `file` names it in errors and warnings.
    public init(_ sheet: Spreadsheet, file: String, vocabulary: ExerciseVocabulary) throws {
        guard let header = sheet.rows.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw Spreadsheet.ReadError(file: file, message: "the first sheet is empty; expected a header row")
        }
        func column(_ name: String) -> Int? { header.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame } }
        guard let frontal = column("Num Video Frontal"), let lateral = column("Num Video Lateral") else {
            throw Spreadsheet.ReadError(file: file, message: "row 1: expected columns 'Num Video Frontal' and 'Num Video Lateral' (ALEX-GYM-1's layout), found: \(header.joined(separator: ", "))")
        }
        let criterionColumns = header.indices.filter { i in
            let h = header[i]
            return !h.lowercased().hasPrefix("score") && !h.lowercased().hasPrefix("total") && !h.lowercased().hasPrefix("num")
                && (h.hasSuffix(" F") || h.hasSuffix(" L"))
        }
        guard !criterionColumns.isEmpty else {
            throw Spreadsheet.ReadError(file: file, message: "row 1: no criterion columns (headers ending in ' F' or ' L')")
        }
        criteria = criterionColumns.map { Criterion(name: header[$0], view: header[$0].hasSuffix(" F") ? "frontal" : "lateral") }
        let classColumn = column("class"), actionColumn = column("Action"), idxColumn = column("NumIdx")
        var recordings: [Recording] = [], warnings: [String] = []
        for (i, row) in sheet.rows.enumerated().dropFirst() {
            func cell(_ c: Int?) -> String { c.flatMap { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : nil } ?? "" }
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let line = i + 1
            let f = Int(cell(frontal)), l = Int(cell(lateral))
            guard f != nil || l != nil else { warnings.append("\(file):\(line): no video number in 'Num Video Frontal' or 'Num Video Lateral'; row skipped"); continue }
            var ratings: [Double?] = []
            var bad: String?
            for c in criterionColumns {
                let text = cell(c)
                if text.isEmpty { ratings.append(nil); continue }
                guard let v = Double(text), v >= 0, v <= 1 else { bad = "'\(header[c])' holds '\(text)', expected 0 or 1"; break }
                ratings.append(v >= 0.5 ? 1 : 0)   // the authors binarize at 0.5 too
            }
            if let bad { warnings.append("\(file):\(line): \(bad); row skipped"); continue }
            let exercise = Int(cell(classColumn)).flatMap { Self.classes[$0] } ?? vocabulary.canonical(cell(actionColumn))
            recordings.append(Recording(line: line, frontal: f, lateral: l, numIdx: Int(cell(idxColumn)), exercise: exercise, ratings: ratings))
        }
        self.recordings = recordings
        self.warnings = warnings
    }
}

extension AnnotationIndex {
    /// ALEX-GYM-1: attaches each recording's ratings to its frontal and lateral videos.
    ///
    /// A video is found by its number: a catalogued file whose name is `<number>` or starts with
    /// `<number>_`, in a folder whose name starts with the spreadsheet's (`Squat_...` for squat.xlsx),
    /// as the release's frame folders are laid out (`Squat_frames/17_idx_4_1.jpg`).
    mutating func addAlexGym(_ sheet: AlexGymSheet, relative: String, videos: Set<String>) {
        let prefix = PathText.stem(relative).lowercased()
        var byNumber: [Int: [String]] = [:]
        for path in videos {
            let parts = path.split(separator: "/")
            guard parts.dropLast().contains(where: { $0.lowercased().hasPrefix(prefix) }) else { continue }
            let stem = PathText.stem(String(parts.last!))
            if let n = Int(stem.split(separator: "_").first ?? "") { byNumber[n, default: []].append(path) }
        }
        for recording in sheet.recordings {
            var facts: [Annotation] = []
            func add(_ kind: String, _ value: String?, _ number: Double?) {
                facts.append(Annotation(kind: kind, value: value, number: number, sourceFile: relative, line: recording.line))
            }
            for (criterion, rating) in zip(sheet.criteria, recording.ratings) {
                guard let rating else { continue }
                add("criterion", "\(criterion.name) [\(criterion.view)]", rating)
                if rating == 0, let fault = ExpertFaults.fault(dataset: "alex-gym-1", label: criterion.name) { add("fault", fault, nil) }
            }
            if let score = recording.formScore { add("form_score", nil, score) }
            for (view, number) in [("frontal", recording.frontal), ("lateral", recording.lateral)] {
                guard let number else { continue }
                for path in byNumber[number] ?? [] {
                    byVideo[path, default: []] += facts + [Annotation(kind: "view", value: view, number: nil, sourceFile: relative, line: recording.line)]
                    if let exercise = recording.exercise { self.exercise[path] = exercise }
                    if let score = recording.formScore { quality[path] = QualityLevel.level(forScore: score).rawValue }
                }
            }
        }
    }
}
