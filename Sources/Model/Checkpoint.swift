import BiomechCore
import Foundation

/// A training checkpoint: configuration, parameters, Adam moments and step (docs/CHECKPOINT.md).
///
/// Layout (little-endian): magic `BMCKPT\0\0` (8 bytes), format version u32, header length u32,
/// header (JSON: config, class names, step, rng state, parameter count), then three float32 arrays
/// of the parameter count: parameters, Adam's first moment, Adam's second moment.
public struct Checkpoint: Equatable, Sendable {
    public static let magic = Data("BMCKPT\0\0".utf8)
    public static let version: UInt32 = 2   // 2: heads read the mean and the maximum over time

    public struct Header: Codable, Equatable, Sendable {
        public var config: ModelConfig
        public var classNames: [String]
        public var step: Int
        public var rngState: UInt64
        public var parameterCount: Int
        public var tool = "biomech-train \(BiomechVersion.string)"
        /// Frames per window the model was trained on; nil for a checkpoint not made by `fit`.
        public var window: Int?
        /// The windows' coordinates (`world` or `image`, the shard index's `coords`); nil for a
        /// checkpoint not made by `fit`, which analysis reads as `world`.
        public var coords: String?
        /// The state of a `fit` run (sampler, early stopping, history) as JSON, so `--resume`
        /// continues exactly; nil outside `fit`. Opaque to this module.
        public var training: String?

        enum CodingKeys: String, CodingKey {
            case config, step, tool, window, coords, training
            case classNames = "class_names"
            case rngState = "rng_state"
            case parameterCount = "parameter_count"
        }
    }

    public var header: Header
    public var params: [Float]
    public var m: [Float]
    public var v: [Float]

    public init(config: ModelConfig, classNames: [String], step: Int, rngState: UInt64, params: [Float], m: [Float], v: [Float]) {
        header = Header(config: config, classNames: classNames, step: step, rngState: rngState, parameterCount: params.count)
        self.params = params
        self.m = m
        self.v = v
    }

    /// Writes the checkpoint atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        guard let length = UInt32(exactly: json.count) else { throw CheckpointError(path: url.path, field: "header", reason: "\(json.count) bytes, more than a u32 length") }
        var data = Self.magic
        withUnsafeBytes(of: Self.version.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: length.littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for array in [params, m, v] { array.withUnsafeBytes { data.append(contentsOf: $0) } }
        try AtomicFile.write(data, to: url)
    }

    /// Reads a checkpoint; `expecting` (when given) must match its configuration.
    public static func read(from url: URL, expecting config: ModelConfig? = nil) throws -> Checkpoint {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw CheckpointError(path: url.path, reason: "cannot read: \(error.localizedDescription)") }
        return try decode(data, path: url.path, expecting: config)
    }

    /// Parses checkpoint bytes; every field is checked, and any problem throws a `CheckpointError`
    /// naming `path` and the field (docs/CHECKPOINT.md lists the checks).
    public static func decode(_ data: Data, path: String, expecting config: ModelConfig? = nil) throws -> Checkpoint {
        try data.withUnsafeBytes { raw in try decode(raw, path: path, expecting: config) }
    }

    static func decode(_ raw: UnsafeRawBufferPointer, path: String, expecting config: ModelConfig?) throws -> Checkpoint {
        func fail(_ field: String?, _ reason: String) -> CheckpointError { CheckpointError(path: path, field: field, reason: reason) }
        guard raw.count >= 16, raw.prefix(8).elementsEqual(magic) else { throw fail(nil, "not a biomech checkpoint (bad magic bytes)") }
        let version = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
        guard version == Self.version else { throw fail("version", "format version \(version); this biomech-train reads version \(Self.version)") }
        let headerLength = Int(raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian)
        guard headerLength <= raw.count - 16 else { throw fail("header length", "\(headerLength) bytes, but the file has \(raw.count - 16) after it (truncated header)") }
        let headerBytes = UnsafeRawBufferPointer(rebasing: raw[16..<16 + headerLength])
        // Strict parse first: Foundation's decoder would let one of two duplicate keys win silently.
        do { _ = try HeaderJSON.parse(headerBytes) } catch {
            throw fail("header", "not valid JSON at header byte \(error.offset): \(error.message)")
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(headerBytes)) } catch let error as DecodingError {
            throw describe(error, path: path)
        } catch { throw fail("header", "unreadable: \(error)") }
        if let (field, reason) = header.config.problem { throw fail("config.\(field)", reason) }
        if let config, config != header.config {
            throw fail("config", "model dimensions differ: checkpoint \(describe(header.config)), expected \(describe(config))")
        }
        try check(header, path: path)
        let table = ParameterTable(header.config), n = header.parameterCount
        guard n == table.count else { throw fail("parameter_count", "\(n) does not match its own configuration (\(table.count))") }
        let start = 16 + headerLength
        guard raw.count == start + 3 * n * 4 else {
            throw fail(nil, "expected \(start + 3 * n * 4) bytes, found \(raw.count) (truncated or padded)")
        }
        func floats(_ index: Int, _ name: String, nonNegative: Bool = false) throws(CheckpointError) -> [Float] {
            var values = [Float](repeating: 0, count: n)
            values.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start + index * n * 4..<start + (index + 1) * n * 4])) }
            if let k = values.firstIndex(where: { !$0.isFinite || (nonNegative && $0 < 0) }) {
                let entry = table.entries.last { $0.offset <= k }!
                throw fail(name, "\(entry.name)[\(k - entry.offset)] is \(values[k]); expected a finite number\(nonNegative ? " >= 0" : "")")
            }
            return values
        }
        var checkpoint = Checkpoint(config: header.config, classNames: header.classNames, step: header.step, rngState: header.rngState,
                                    params: try floats(0, "params"), m: try floats(1, "adam_m"), v: try floats(2, "adam_v", nonNegative: true))
        checkpoint.header.tool = header.tool
        checkpoint.header.window = header.window
        checkpoint.header.training = header.training
        return checkpoint
    }

    /// The header fields that are not dimensions: class names, step.
    static func check(_ header: Header, path: String) throws(CheckpointError) {
        let names = header.classNames
        guard names.count == header.config.classes else {
            throw CheckpointError(path: path, field: "class_names", reason: "\(names.count) names for \(header.config.classes) classes")
        }
        if let bad = names.firstIndex(where: { $0.isEmpty }) ?? names.indices.first(where: { names[..<$0].contains(names[$0]) }) {
            throw CheckpointError(path: path, field: "class_names[\(bad)]", reason: "\(names[bad].isEmpty ? "empty" : "repeats \"\(names[bad])\""); expected distinct names")
        }
        guard header.step >= 0 else { throw CheckpointError(path: path, field: "step", reason: "\(header.step), expected >= 0") }
    }

    /// A decoding error as the field it is about and what was wrong, without Swift's type names.
    static func describe(_ error: DecodingError, path: String) -> CheckpointError {
        func field(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        switch error {
        case let .keyNotFound(key, context):
            let parent = field(context.codingPath)
            return CheckpointError(path: path, field: parent.isEmpty ? key.stringValue : "\(parent).\(key.stringValue)", reason: "missing")
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return CheckpointError(path: path, field: field(context.codingPath), reason: "expected \(type)")
        case let .dataCorrupted(context):
            return CheckpointError(path: path, field: context.codingPath.isEmpty ? "header" : field(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return CheckpointError(path: path, field: "header", reason: "\(error)")
        }
    }

    static func describe(_ c: ModelConfig) -> String {
        "gcn \(c.gcnWidths), embed \(c.embed), hidden \(c.hidden), layers \(c.lstmLayers), classes \(c.classes), landmarks \(c.landmarks)x\(c.inputChannels)"
    }
}

/// A checkpoint or weights file that cannot be used; names the file, the field or tensor, and what is wrong.
public struct CheckpointError: BiomechError, Equatable {
    public var path: String
    /// The header field or tensor at fault ("config.hidden", "lstm.bias_l0"), nil for the file as a whole.
    public var field: String?
    public var reason: String

    public init(path: String, field: String? = nil, reason: String) {
        self.path = path
        self.field = field
        self.reason = reason
    }

    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String { field.map { "\(path): \($0): \(reason)" } ?? "\(path): \(reason)" }
}
