import BiomechCore
import Biomechanics
import Foundation
import Yams

/// Checks what YAML decoding cannot: names, hashes, URLs and which sections each access needs.
struct ManifestValidator {
    let file: String
    let root: Node

    func validate(_ m: Manifest) throws {
        let stem = PathText.stem(file)
        guard m.name.range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil else {
            throw fail(["name"], "expected lowercase letters, digits and '-' only, got '\(m.name)'")
        }
        guard m.name == stem else {
            throw fail(["name"], "must equal the file name without extension ('\(stem)'), got '\(m.name)'")
        }
        switch m.access {
        case .http:
            guard !m.files.isEmpty else { throw fail(["files"], "access 'http' needs at least one entry under 'files'") }
        case .manual:
            guard m.manual != nil else { throw fail(["manual"], "access 'manual' needs a 'manual' section (form, instructions, expect)") }
        case .generated:
            guard m.generated != nil else { throw fail(["generated"], "access 'generated' needs a 'generated' section (command)") }
        case .youtube:
            guard let list = m.youtube else {
                throw fail(["youtube"], "access 'youtube' needs a 'youtube' section (lists and id_column, or sources)")
            }
            try validate(list)
        }
        var saved = Set<String>()
        for (i, f) in m.files.enumerated() {
            for (j, source) in f.sources.enumerated() {
                let key: [Any] = j == 0 ? ["files", i, "url"] : ["files", i, "mirrors", j - 1]
                guard let url = URL(string: source), let scheme = url.scheme?.lowercased(),
                      ["http", "https", "file"].contains(scheme) else {
                    throw fail(key, "expected an http, https or file URL, got '\(source)'")
                }
            }
            if let sha = f.sha256 {
                guard Self.isSHA256(sha) else { throw fail(["files", i, "sha256"], "expected 64 hexadecimal characters") }
                guard !f.unpinned else { throw fail(["files", i, "unpinned"], "a pinned file (with sha256) cannot also be 'unpinned: true'") }
            } else if !f.unpinned {
                throw fail(["files", i], "missing 'sha256'; if the checksum is not known yet, set 'unpinned: true'")
            }
            if let size = f.size, size < 0 { throw fail(["files", i, "size"], "expected a byte count >= 0") }
            let name = f.savedName
            guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), name != "youtube" else {
                throw fail(["files", i], "cannot derive a file name from '\(f.url)'; set 'filename'")
            }
            guard saved.insert(name).inserted else {
                throw fail(["files", i], "two files would be saved as '\(name)'; set 'filename' on one")
            }
        }
        for (i, e) in (m.manual?.expect ?? []).enumerated() {
            guard Self.isSafeRelativePath(e.path) else {
                throw fail(["manual", "expect", i, "path"], "expected a relative path without '..', got '\(e.path)'")
            }
            if let sha = e.sha256, !Self.isSHA256(sha) {
                throw fail(["manual", "expect", i, "sha256"], "expected 64 hexadecimal characters")
            }
        }
        if let labels = m.labels { try validate(labels) }
    }

    /// A YouTube section needs clip lists with an id column, or sources; filters must make sense.
    private func validate(_ list: YouTubeList) throws {
        guard !list.lists.isEmpty || !list.sources.isEmpty else {
            throw fail(["youtube"], "expected 'lists' (CSV files with an id_column) or 'sources' (playlist or channel URLs)")
        }
        for (i, path) in list.lists.enumerated() where !Self.isSafeRelativePath(path) {
            throw fail(["youtube", "lists", i], "expected a relative path inside the dataset folder, got '\(path)'")
        }
        if !list.lists.isEmpty, list.idColumn?.isEmpty ?? true {
            throw fail(["youtube"], "'lists' needs 'id_column', the column holding the video id")
        }
        for (i, source) in list.sources.enumerated() {
            let key: [Any] = ["youtube", "sources", i]
            guard let url = URL(string: source.url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                throw fail(key + ["url"], "expected an http(s) playlist or channel URL, got '\(source.url)'")
            }
            if let exercise = source.exercise, exercise.range(of: "^[a-z0-9_]+$", options: .regularExpression) == nil {
                throw fail(key + ["exercise"], "expected an exercise name of lowercase letters, digits and '_' (it names a folder), got '\(exercise)'")
            }
            for (field, patterns) in [("include", source.include), ("exclude", source.exclude)] {
                for (j, pattern) in patterns.enumerated() { _ = try compile(pattern, at: key + [field, j]) }
            }
        }
        if let n = list.perExercise, n < 1 { throw fail(["youtube", "per_exercise"], "expected a count of at least 1, got \(n)") }
        for (field, value) in [("after", list.after), ("before", list.before)] {
            if let value, YouTubeFilter.day(value) == nil {
                throw fail(["youtube", field], "expected a date as YYYY-MM-DD, got '\(value)'")
            }
        }
        if let a = list.after, let b = list.before, a > b { throw fail(["youtube", "before"], "'before' (\(b)) is earlier than 'after' (\(a))") }
        for (field, value) in [("min_seconds", list.minSeconds), ("max_seconds", list.maxSeconds)] {
            if let value, !(value.isFinite && value >= 0) { throw fail(["youtube", field], "expected seconds >= 0, got \(value)") }
        }
        if let lo = list.minSeconds, let hi = list.maxSeconds, lo > hi {
            throw fail(["youtube", "max_seconds"], "max_seconds (\(hi)) is below min_seconds (\(lo))")
        }
        let filters = list.perExercise != nil || list.after != nil || list.before != nil || list.minSeconds != nil || list.maxSeconds != nil
        if filters, list.sources.isEmpty {
            throw fail(["youtube"], "per_exercise, after, before, min_seconds and max_seconds filter 'sources'; this section has none")
        }
    }

    /// Label rules must compile and say where their label comes from. Exercise names are checked against
    /// the vocabulary when the rules are compiled (`LabelRules`), because the vocabulary lives in the catalog.
    private func validate(_ labels: LabelSpec) throws {
        for (list, rules) in [("exercise", labels.exercise), ("quality", labels.quality)] {
            for (i, rule) in rules.enumerated() {
                let key: [Any] = ["labels", list, i]
                let patterns = [rule.glob, rule.regex].compactMap { $0 }.count + (rule.tokens ? 1 : 0)
                guard patterns == 1 else { throw fail(key, "expected exactly one of 'glob', 'regex' or 'tokens: true'") }
                guard !rule.tokens || list == "quality" else { throw fail(key + ["tokens"], "'tokens' applies to quality rules only") }
                if let regex = rule.regex {
                    let compiled = try compile(regex, at: key + ["regex"])
                    let captures = Self.namedGroups(regex).contains("label")
                    guard captures != (rule.value != nil) else {
                        throw fail(key, "a regex rule needs either 'value' or a named group (?<label>...), not both")
                    }
                    _ = compiled
                } else if rule.glob != nil, rule.value == nil {
                    throw fail(key, "a glob rule needs 'value' (the \(list) it assigns)")
                }
                if list == "quality", let value = rule.value, QualityLevel(rawValue: value) == nil {
                    throw fail(key + ["value"], "expected excellent, good, fair or poor, got '\(value)'")
                }
            }
        }
        for (i, rule) in labels.group.enumerated() {
            _ = try compile(rule.regex, at: ["labels", "group", i, "regex"])
            guard Self.namedGroups(rule.regex).contains("key") else {
                throw fail(["labels", "group", i, "regex"], "expected a named group (?<key>...) naming the subject or source")
            }
            if let scope = rule.scope, scope.range(of: "^[a-z0-9_-]+$", options: .regularExpression) == nil {
                throw fail(["labels", "group", i, "scope"], "expected lowercase letters, digits, '_' or '-', got '\(scope)'")
            }
        }
        for (i, source) in labels.annotations.enumerated() {
            guard !source.files.isEmpty else { throw fail(["labels", "annotations", i, "files"], "expected at least one glob") }
            for (j, glob) in source.files.enumerated() where !Self.isSafeRelativePath(glob) {
                throw fail(["labels", "annotations", i, "files", j], "expected a glob relative to files/, without '..', got '\(glob)'")
            }
        }
    }

    private func compile(_ pattern: String, at key: [Any]) throws -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch {
            throw fail(key, "not a valid regular expression: '\(pattern)'")
        }
    }

    /// Names of the `(?<name>...)` groups in a pattern.
    static func namedGroups(_ pattern: String) -> Set<String> {
        let finder = try! NSRegularExpression(pattern: "\\(\\?<([A-Za-z][A-Za-z0-9]*)>")
        let range = NSRange(pattern.startIndex..., in: pattern)
        return Set(finder.matches(in: pattern, range: range).compactMap { Range($0.range(at: 1), in: pattern).map { String(pattern[$0]) } })
    }

    static func isSHA256(_ s: String) -> Bool {
        s.count == 64 && s.allSatisfy { $0.isHexDigit }
    }

    static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }

    private func fail(_ path: [Any], _ message: String) -> ConfigurationError {
        let keys: [CodingKey] = path.map { part in
            if let i = part as? Int { return AnyCodingKey(intValue: i)! }
            return AnyCodingKey(stringValue: "\(part)")
        }
        return ConfigurationError(file: file, line: NodeLocator(root).line(of: keys), key: keyPath(keys), message: message)
    }
}
