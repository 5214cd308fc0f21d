import BiomechCore
import Foundation
import Yams

/// Checks what YAML decoding cannot: names, hashes, URLs and which sections each access needs.
struct ManifestValidator {
    let file: String
    let root: Node

    func validate(_ m: Manifest) throws {
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
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
