import Foundation
@testable import Model
import Testing

/// Crafted safetensors and checkpoint files: each must be refused with an error naming the file and
/// the field or tensor, never crash or be read silently. Regressions for the crashes found by reading
/// the code and by fuzzing (Fuzz/), one test each.
@Suite struct HostileFileTests {
    static var tiny: ModelConfig {
        var c = ModelConfig()
        c.gcnWidths = [2, 2, 2]; c.embed = 2; c.hidden = 1
        return c
    }
    static var table: ParameterTable { ParameterTable(tiny) }
    static var params: [Float] { (0..<table.count).map { Float($0 % 7) / 7 } }

    // MARK: safetensors

    /// A safetensors file from a header text and a body; `length` overrides the declared header length.
    static func safetensors(header: String, body: Data, length: UInt64? = nil) -> Data {
        var data = Data()
        withUnsafeBytes(of: (length ?? UInt64(header.utf8.count)).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        data.append(body)
        return data
    }

    /// The header our writer produces for the tiny table, as text, and its body.
    static func valid() throws -> (header: String, body: Data) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-hostile-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(params: params, table: table, to: url)
        let data = try Data(contentsOf: url)
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        return (String(decoding: data.subdata(in: 8..<8 + length), as: UTF8.self), data.subdata(in: 8 + length..<data.count))
    }

    /// Reads `data` as a safetensors file on disk and returns the error's text ("" if it was accepted).
    func refusal(safetensors data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-hostile-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        do { _ = try SafeTensors.read(url, table: Self.table); return "" } catch {
            let text = "\(error)"
            #expect(text.hasPrefix(url.path), "the error names the file: \(text)")
            return text
        }
    }

    /// The valid header with `old` replaced by `new` (which must occur).
    static func edited(_ old: String, _ new: String) throws -> Data {
        let (header, body) = try Self.valid()
        precondition(header.contains(old), old)
        return safetensors(header: header.replacingOccurrences(of: old, with: new), body: body)
    }

    @Test func theValidFileIsAccepted() throws {
        let (header, body) = try Self.valid()
        #expect(try refusal(safetensors: Self.safetensors(header: header, body: body)) == "")
    }

    @Test func aHeaderLengthAbove2To63IsRefused() throws {
        // Crashed: Int(UInt64) of a length >= 2^63 traps.
        let (header, body) = try Self.valid()
        #expect(try refusal(safetensors: Self.safetensors(header: header, body: body, length: .max)).contains("header length"))
    }

    @Test func aHeaderLengthNearIntMaxIsRefused() throws {
        // Crashed: 8 + length overflowed.
        let (header, body) = try Self.valid()
        #expect(try refusal(safetensors: Self.safetensors(header: header, body: body, length: UInt64(Int.max))).contains("header length"))
    }

    @Test func emptyDataOffsetsAreRefused() throws {
        // Crashed: data_offsets[0] of an empty list.
        #expect(try refusal(safetensors: Self.edited(#""data_offsets":[0,24]"#, #""data_offsets":[]"#)).contains("gcn.0.weight: data_offsets"))
    }

    @Test func negativeDataOffsetsAreRefused() throws {
        // Crashed: a range starting before the file; [-8, 16] read header bytes as weights.
        #expect(try refusal(safetensors: Self.edited(#""data_offsets":[0,24]"#, #""data_offsets":[-1000000,-999976]"#)).contains("gcn.0.weight: data_offsets"))
        #expect(try refusal(safetensors: Self.edited(#""data_offsets":[0,24]"#, #""data_offsets":[-8,16]"#)).contains("gcn.0.weight: data_offsets"))
    }

    @Test func dataOffsetsNearIntMaxAreRefused() throws {
        // Crashed: base + offset overflowed.
        let text = try refusal(safetensors: Self.edited(#""data_offsets":[0,24]"#, #""data_offsets":[9223372036854775783,9223372036854775807]"#))
        #expect(text.contains("gcn.0.weight: data_offsets"))
    }

    @Test func reversedOverlappingAndTrailingDataAreRefused() throws {
        #expect(try refusal(safetensors: Self.edited(#""data_offsets":[0,24]"#, #""data_offsets":[24,0]"#)).contains("gcn.0.weight: data_offsets"))
        let (header, body) = try Self.valid()
        var trailing = body
        trailing.append(contentsOf: [0, 0, 0, 0])
        #expect(try refusal(safetensors: Self.safetensors(header: header, body: trailing)).contains("after the last tensor"))
    }

    @Test func twoTensorsOnTheSameBytesAreRefused() throws {
        // The tiny table has two [1]-shaped biases (form.bias, risk.bias); point risk's at form's bytes.
        let (header, body) = try Self.valid()
        let form = try #require(header.firstMatch(of: /"form.bias":\{"data_offsets":\[(\d+),(\d+)\]/))
        let edited = header.replacing(/"risk.bias":\{"data_offsets":\[\d+,\d+\]/, with: "\"risk.bias\":{\"data_offsets\":[\(form.1),\(form.2)]")
        let text = try refusal(safetensors: Self.safetensors(header: edited, body: body))
        #expect(text.contains("overlaps") || text.contains("unused bytes"), "\(text)")
    }

    @Test func duplicateTensorNamesAreRefused() throws {
        // Foundation's JSON reader let one of the two win silently.
        let (header, body) = try Self.valid()
        let first = try #require(header.firstMatch(of: /"form.bias":\{[^}]*\}/))
        let doubled = header.replacingOccurrences(of: String(first.0), with: String(first.0) + "," + String(first.0))
        #expect(try refusal(safetensors: Self.safetensors(header: doubled, body: body)).contains("duplicate key \"form.bias\""))
    }

    @Test func badHeadersAndFieldsAreRefusedByName() throws {
        let (header, body) = try Self.valid()
        #expect(try refusal(safetensors: Self.safetensors(header: "{\"a\": \u{1}", body: body)).contains("header"))
        var notUTF8 = Self.safetensors(header: "{\"\u{e9}\":1}", body: body)
        notUTF8[8 + 2] = 0xFF
        #expect(try refusal(safetensors: notUTF8).contains("UTF-8"))
        #expect(try refusal(safetensors: Self.safetensors(header: "[" + String(repeating: "[", count: 100_000), body: body)).contains("nested"))
        #expect(try refusal(safetensors: Self.edited(#""dtype":"F32""#, #""dtype":"Q7""#)).contains("dtype Q7, expected F32"))
        #expect(try refusal(safetensors: Self.edited(#""shape":[2,3]"#, #""shape":[3,2]"#)).contains("gcn.0.weight: shape [3, 2], expected [2, 3]"))
        #expect(try refusal(safetensors: Self.edited(#""shape":[2,3]"#, #""shape":[4611686018427387904,4]"#)).contains("gcn.0.weight: shape"))
        #expect(try refusal(safetensors: Self.edited(#""data_offsets":[0,24]"#, #""data_offsets":[0,1e999]"#)).contains("gcn.0.weight: data_offsets"))
        #expect(try refusal(safetensors: Self.edited(#""gcn.0.weight""#, #""gcn.9.weight""#)).contains("gcn.9.weight: unexpected tensor"))
        #expect(try refusal(safetensors: Self.safetensors(header: header, body: body.prefix(body.count - 4))).contains("outside the data"))
        #expect(try refusal(safetensors: Data([1, 0, 0])).contains("shorter than the 8-byte header length"))
    }

    @Test func aMissingTensorAndNaNWeightsAreRefused() throws {
        let (header, body) = try Self.valid()
        let risk = try #require(header.firstMatch(of: /,"risk.weight":\{[^}]*\}/))
        let text = try refusal(safetensors: Self.safetensors(header: header.replacingOccurrences(of: String(risk.0), with: ""), body: body))
        #expect(text.contains("risk.weight: missing tensor") || text.contains("unused bytes") || text.contains("after the last"), "\(text)")
        var nan = body
        nan.replaceSubrange(4..<8, with: withUnsafeBytes(of: Float.nan) { Data($0) })
        #expect(try refusal(safetensors: Self.safetensors(header: header, body: nan)).contains("value nan at index 1"))
    }
}
