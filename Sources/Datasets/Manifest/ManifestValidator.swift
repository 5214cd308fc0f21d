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
            guard let list = m.youtube else { throw fail(["youtube"], "access 'youtube' needs a 'youtube' section (lists, id_column)") }
            guard !list.lists.isEmpty else { throw fail(["youtube", "lists"], "expected at least one CSV path") }
            for (i, path) in list.lists.enumerated() where !Self.isSafeRelativePath(path) {
                throw fail(["youtube", "lists", i], "expected a relative path inside the dataset folder, got '\(path)'")
            }
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
