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
        let path = url.path
        guard let data = try? Data(contentsOf: url), data.count >= 8 else { throw CheckpointError(path: path, reason: "cannot read, or shorter than 8 bytes") }
        let length = Int(data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        guard length > 0, 8 + length <= data.count else { throw CheckpointError(path: path, reason: "header length \(length) exceeds the file") }
        let infos: [String: TensorInfo]
        do {
            var raw = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + length)) as? [String: Any] ?? [:]
            raw.removeValue(forKey: "__metadata__")
            infos = try JSONDecoder().decode([String: TensorInfo].self, from: JSONSerialization.data(withJSONObject: raw))
        } catch {
            throw CheckpointError(path: path, reason: "unreadable safetensors header: \(error)")
        }
        var params = [Float](repeating: 0, count: table.count)
        let base = 8 + length
        let expected = exported(table)
        let unexpected = Set(infos.keys).subtracting(expected.map(\.name))
        guard unexpected.isEmpty else { throw CheckpointError(path: path, reason: "unexpected tensors: \(unexpected.sorted().joined(separator: ", "))") }
        for (name, shape, source) in expected {
            guard let info = infos[name] else { throw CheckpointError(path: path, reason: "missing tensor \(name)") }
            guard info.dtype == "F32" else { throw CheckpointError(path: path, reason: "\(name): dtype \(info.dtype), expected F32") }
            guard info.shape == shape else { throw CheckpointError(path: path, reason: "\(name): shape \(info.shape), expected \(shape)") }
            let (start, end) = (base + info.data_offsets[0], base + info.data_offsets[1])
            guard end - start == shape.reduce(1, *) * 4, end <= data.count else {
                throw CheckpointError(path: path, reason: "\(name): data offsets out of range")
            }
            let values = data.subdata(in: start..<end).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            // Both LSTM biases land on the one bias: ih by name, hh added to it.
            let target = source ?? table["lstm.bias_\(name.dropFirst("lstm.bias_hh_".count))"]
            for (k, value) in values.enumerated() { params[target.offset + k] += value }
        }
        return params
    }
}
