import BiomechCore
import Foundation

/// A training checkpoint: configuration, parameters, Adam moments and step (docs/CHECKPOINT.md).
///
/// Layout (little-endian): magic `BMCKPT\0\0` (8 bytes), format version u32, header length u32,
/// header (JSON: config, class names, step, rng state, parameter count), then three float32 arrays
/// of the parameter count: parameters, Adam's first moment, Adam's second moment.
public struct Checkpoint: Equatable, Sendable {
    public static let magic = Data("BMCKPT\0\0".utf8)
    public static let version: UInt32 = 1

    public struct Header: Codable, Equatable, Sendable {
        public var config: ModelConfig
        public var classNames: [String]
        public var step: Int
        public var rngState: UInt64
        public var parameterCount: Int
        public var tool = "biomech-train \(BiomechVersion.string)"

        enum CodingKeys: String, CodingKey {
            case config, step, tool
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
        var data = Self.magic
        withUnsafeBytes(of: Self.version.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for array in [params, m, v] { array.withUnsafeBytes { data.append(contentsOf: $0) } }
        try AtomicFile.write(data, to: url)
    }

    /// Reads a checkpoint; `expecting` (when given) must match its configuration.
    public static func read(from url: URL, expecting config: ModelConfig? = nil) throws -> Checkpoint {
        let path = url.path
        guard let data = try? Data(contentsOf: url) else { throw CheckpointError(path: path, reason: "cannot read the file") }
        guard data.count >= 16, data.prefix(8) == magic else {
            throw CheckpointError(path: path, reason: "not a biomech checkpoint (bad magic bytes)")
        }
        let version = data.subdata(in: 8..<12).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
        guard version == Self.version else {
            throw CheckpointError(path: path, reason: "format version \(version); this biomech-train reads version \(Self.version)")
        }
        let headerLength = Int(data.subdata(in: 12..<16).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
        guard data.count >= 16 + headerLength else { throw CheckpointError(path: path, reason: "truncated header") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data.subdata(in: 16..<16 + headerLength))
        } catch {
            throw CheckpointError(path: path, reason: "unreadable header: \(error)")
        }
        if let config, config != header.config {
            throw CheckpointError(path: path, reason: "model dimensions differ: checkpoint \(describe(header.config)), expected \(describe(config))")
        }
        let n = header.parameterCount
        guard n == ParameterTable(header.config).count else {
            throw CheckpointError(path: path, reason: "parameter count \(n) does not match its own configuration")
        }
        let start = 16 + headerLength
        guard data.count == start + 3 * n * 4 else {
            throw CheckpointError(path: path, reason: "expected \(start + 3 * n * 4) bytes, found \(data.count) (truncated or padded)")
        }
        func floats(_ index: Int) -> [Float] {
            data.subdata(in: start + index * n * 4..<start + (index + 1) * n * 4).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        var checkpoint = Checkpoint(config: header.config, classNames: header.classNames, step: header.step, rngState: header.rngState,
                                    params: floats(0), m: floats(1), v: floats(2))
        checkpoint.header.tool = header.tool
        return checkpoint
    }

    static func describe(_ c: ModelConfig) -> String {
        "gcn \(c.gcnWidths), embed \(c.embed), hidden \(c.hidden), layers \(c.lstmLayers), classes \(c.classes), landmarks \(c.landmarks)x\(c.inputChannels)"
    }
}

/// A checkpoint or weights file that cannot be used; names the file and what is wrong.
public struct CheckpointError: BiomechError {
    public var path: String
    public var reason: String
    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String { "\(path): \(reason)" }
}
