import BiomechCore
import Foundation
import Yams

/// Reads and checks the manifests in a folder; every problem names the file, the line and the key.
public enum ManifestLoader {
    /// A manifest and the file it came from.
    public struct Loaded: Sendable {
        public var manifest: Manifest
        public var path: String
    }

    /// Loads every `*.yaml`/`*.yml` in `folder`, sorted by name.
    ///
    /// Throws the first `ConfigurationError`; a bad manifest stops the run before anything is fetched.
    public static func loadAll(from folder: URL) throws -> [Loaded] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError(file: folder.path, message: "manifest folder not found")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        return try names.map { name in
            let file = folder.appendingPathComponent(name)
            return Loaded(manifest: try load(file), path: file.path)
        }
    }

    /// Loads one manifest file.
    public static func load(_ file: URL) throws -> Manifest {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: file.path, message: "cannot read as UTF-8 text: \(error.localizedDescription)")
        }
        return try parse(text, file: file.path)
    }

    /// Parses manifest text; `file` (a path whose stem must equal `name`) is used in messages.
    public static func parse(_ text: String, file: String) throws -> Manifest {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlSyntaxError(error, file: file)
        }
        guard let node, node.mapping != nil else {
            throw ConfigurationError(file: file, line: 1, message: "expected a YAML mapping of manifest keys (name, title, ...)")
        }
        let manifest: Manifest
        do {
            manifest = try YAMLDecoder().decode(Manifest.self, from: text)
        } catch let error as DecodingError {
            throw decodingError(error, file: file, root: node)
        }
        try ManifestValidator(file: file, root: node).validate(manifest)
        return manifest
    }

    static func yamlSyntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ConfigurationError(file: file, line: mark.line, message: "invalid YAML: \(problem)")
        default:
            return ConfigurationError(file: file, message: "invalid YAML: \(error)")
        }
    }

    static func decodingError(_ error: DecodingError, file: String, root: Node) -> ConfigurationError {
        let render = keyPath
        switch error {
        case let .keyNotFound(key, context):
            let path = context.codingPath
            return ConfigurationError(file: file, line: NodeLocator(root).line(of: path), key: render(path + [key]),
                                      message: "required key is missing")
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return ConfigurationError(file: file, line: NodeLocator(root).line(of: context.codingPath),
                                      key: render(context.codingPath), message: "expected \(describe(type))")
        case let .dataCorrupted(context):
            let message = context.debugDescription.contains("Cannot initialize")
                ? "invalid value; " + allowedValues(for: context.codingPath)
                : context.debugDescription
            return ConfigurationError(file: file, line: NodeLocator(root).line(of: context.codingPath),
                                      key: render(context.codingPath), message: message)
        @unknown default:
            return ConfigurationError(file: file, message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int64.Type, is Int.Type: return "an integer"
        case is [String].Type: return "a list of strings"
        default: return "a value of type \(type)"
        }
    }

    private static func allowedValues(for path: [CodingKey]) -> String {
        switch path.last?.stringValue {
        case "access": return "expected one of: " + Manifest.Access.allCases.map(\.rawValue).joined(separator: ", ")
        case "extract": return "expected one of: " + ExtractMode.allCases.map(\.rawValue).joined(separator: ", ")
        default: return "see docs/MANIFEST.md"
        }
    }
}

/// A key path as written in messages: `files[0].sha256`.
func keyPath(_ path: [CodingKey]) -> String {
    path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        .trimmingCharacters(in: CharacterSet(charactersIn: "."))
}

/// Finds the line of a key path in a composed YAML tree, for error messages.
struct NodeLocator {
    let root: Node
    init(_ root: Node) { self.root = root }

    /// The line of the node at `path` (the key's own line for mapping keys), or of the nearest parent found.
    func line(of path: [CodingKey]) -> Int? {
        var node = root
        var line = root.mark?.line
        for key in path {
            if let index = key.intValue, let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
                line = node.mark?.line ?? line
            } else if let mapping = node.mapping,
                      let pair = mapping.first(where: { $0.key.string == key.stringValue }) {
                line = pair.key.mark?.line ?? line
                node = pair.value
            } else {
                break
            }
        }
        return line
    }
}
