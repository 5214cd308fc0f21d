import BiomechCore
import Foundation

/// Weights as safetensors, with the PyTorch reference's `state_dict` names and layouts.
///
/// The format: u64 little-endian header length, a JSON header mapping each tensor name to its
/// dtype, shape and byte offsets, then the tensors' bytes. PyTorch's LSTM keeps two biases per
/// gate; export writes ours as `bias_ih_*` with a zero `bias_hh_*`, import adds the two.
public enum SafeTensors {
    struct TensorInfo: Codable {
        var dtype: String
        var shape: [Int]
        var data_offsets: [Int]
    }

    /// The names and shapes PyTorch's reference model uses, mapped to our table.
    static func exported(_ table: ParameterTable) -> [(name: String, shape: [Int], source: ParameterTable.Entry?)] {
        table.entries.flatMap { entry -> [(String, [Int], ParameterTable.Entry?)] in
            guard entry.name.hasPrefix("lstm.bias_") else { return [(entry.name, entry.shape, entry)] }
            let suffix = entry.name.dropFirst("lstm.bias_".count)
            return [("lstm.bias_ih_\(suffix)", entry.shape, entry), ("lstm.bias_hh_\(suffix)", entry.shape, nil)]
        }
    }

    /// Writes `params` (laid out by `table`) as float32 safetensors, atomically.
    public static func write(params: [Float], table: ParameterTable, metadata: [String: String] = [:], to url: URL) throws {
        var header: [String: Any] = [:]
        var body = Data()
        for (name, shape, source) in exported(table) {
            let start = body.count
            if let source {
                params[source.offset..<source.offset + source.count].withUnsafeBytes { body.append(contentsOf: $0) }
            } else {
                body.append(Data(count: shape.reduce(1, *) * 4))
            }
            header[name] = ["dtype": "F32", "shape": shape, "data_offsets": [start, body.count]]
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (8 + json.count) % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var data = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        data.append(body)
        try AtomicFile.write(data, to: url)
    }

    /// Reads safetensors written by `write` or by PyTorch (float32, the reference's names and shapes).
    public static func read(_ url: URL, table: ParameterTable) throws -> [Float] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw CheckpointError(path: url.path, reason: "cannot read: \(error.localizedDescription)") }
        return try decode(data, table: table, path: url.path)
    }

    /// Headers larger than this are refused (the reference library's limit, 100 MB).
    public static let maximumHeaderLength = 100_000_000

    /// Parses safetensors bytes; every field is checked, and any problem throws a `CheckpointError`
    /// naming `path` and the tensor or field (docs/CHECKPOINT.md lists the checks).
    public static func decode(_ data: Data, table: ParameterTable, path: String) throws -> [Float] {
        try data.withUnsafeBytes { raw in try decode(raw, table: table, path: path) }
    }

    static func decode(_ raw: UnsafeRawBufferPointer, table: ParameterTable, path: String) throws(CheckpointError) -> [Float] {
        func fail(_ field: String?, _ reason: String) -> CheckpointError { CheckpointError(path: path, field: field, reason: reason) }
        guard raw.count >= 8 else { throw fail(nil, "\(raw.count) bytes, shorter than the 8-byte header length") }
        let declared = raw.loadUnaligned(as: UInt64.self).littleEndian
        guard declared <= UInt64(raw.count - 8) else { throw fail("header length", "\(declared) bytes, but the file has \(raw.count - 8) after the length") }
        guard declared <= UInt64(maximumHeaderLength) else { throw fail("header length", "\(declared) bytes, more than the limit of \(maximumHeaderLength)") }
        let length = Int(declared), base = 8 + length, dataLength = raw.count - base
        let json: HeaderJSON
        do { json = try HeaderJSON.parse(UnsafeRawBufferPointer(rebasing: raw[8..<base])) } catch {
            throw fail("header", "not valid JSON at header byte \(error.offset): \(error.message)")
        }
        guard case let .object(members) = json else { throw fail("header", "not a JSON object") }
        let expected = exported(table)
        let expectedNames = Set(expected.map(\.name))
        var spans: [String: Range<Int>] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = value, pairs.allSatisfy({ if case .string = $0.value { true } else { false } }) else {
                    throw fail(name, "expected an object of strings")
                }
                continue
            }
            guard expectedNames.contains(name) else { throw fail(name, "unexpected tensor (not in this model)") }
            guard case let .object(fields) = value else { throw fail(name, "expected an object with dtype, shape and data_offsets") }
            func field(_ key: String) throws(CheckpointError) -> HeaderJSON {
                guard let f = fields.first(where: { $0.key == key }) else { throw fail(name, "no \(key)") }
                return f.value
            }
            guard case let .string(dtype) = try field("dtype") else { throw fail(name, "dtype is not a string") }
            guard dtype == "F32" else { throw fail(name, "dtype \(dtype), expected F32") }
            guard case let .array(shapeValues) = try field("shape"), case let shape = shapeValues.compactMap(\.integer),
                  shape.count == shapeValues.count else { throw fail(name, "shape is not a list of integers") }
            let want = expected.first { $0.name == name }!.shape
            guard shape == want else { throw fail(name, "shape \(shape), expected \(want)") }
            guard case let .array(offsetValues) = try field("data_offsets"), case let offsets = offsetValues.compactMap(\.integer),
                  offsets.count == 2, offsetValues.count == 2 else { throw fail(name, "data_offsets is not a pair of integers") }
            let (begin, end) = (offsets[0], offsets[1])
            guard 0 <= begin, begin <= end, end <= dataLength else {
                throw fail(name, "data_offsets [\(begin), \(end)] outside the data (0...\(dataLength))")
            }
            // `want` comes from our own table, so its product cannot overflow; the file's shape equals it.
            let bytes = want.reduce(1, *) * 4
            guard end - begin == bytes else { throw fail(name, "data_offsets [\(begin), \(end)] hold \(end - begin) bytes, shape \(want) needs \(bytes)") }
            spans[name] = begin..<end
        }
        if let missing = expected.first(where: { spans[$0.name] == nil }) { throw fail(missing.name, "missing tensor") }
        // The tensors must tile the data exactly, as the format requires: no overlap, gap or trailing bytes.
        var next = 0, previous = "the start of the data"
        for (name, span) in spans.sorted(by: { ($0.value.lowerBound, $0.key) < ($1.value.lowerBound, $1.key) }) {
            guard span.lowerBound == next else {
                throw fail(name, span.lowerBound < next ? "data overlaps \(previous)" : "\(span.lowerBound - next) unused bytes after \(previous)")
            }
            next = span.upperBound
            previous = name
        }
        guard next == dataLength else { throw fail(nil, "\(dataLength - next) bytes after the last tensor") }
        var params = [Float](repeating: 0, count: table.count)
        for (name, _, source) in expected {
            let span = spans[name]!
            let count = span.count / 4
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[base + span.lowerBound..<base + span.upperBound])) }
            if let bad = values.firstIndex(where: { !$0.isFinite }) { throw fail(name, "value \(values[bad]) at index \(bad); weights must be finite") }
            // Both LSTM biases land on the one bias: ih by name, hh added to it.
            let target = source ?? table["lstm.bias_\(name.dropFirst("lstm.bias_hh_".count))"]
            for (k, value) in values.enumerated() { params[target.offset + k] += value }
        }
        return params
    }
}
