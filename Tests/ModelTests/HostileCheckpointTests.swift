import Foundation
@testable import Model
import Testing

/// Crafted checkpoints: each must be refused with an error naming the file and the field, never
/// crash, hang or be read silently.
@Suite struct HostileCheckpointTests {
    static var tiny: ModelConfig { HostileFileTests.tiny }

    /// A valid tiny checkpoint's header text and its three float arrays.
    static func valid() throws -> (header: String, floats: Data) {
        let n = ParameterTable(tiny).count
        let checkpoint = Checkpoint(config: tiny, classNames: ModelConfig.classNames, step: 3, rngState: 9,
                                    params: HostileFileTests.params, m: Array(repeating: 0.5, count: n), v: Array(repeating: 0.25, count: n))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-hostile-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try checkpoint.write(to: url)
        let data = try Data(contentsOf: url)
        let length = Int(data.subdata(in: 12..<16).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
        return (String(decoding: data.subdata(in: 16..<16 + length), as: UTF8.self), data.subdata(in: 16 + length..<data.count))
    }

    static func file(header: String, floats: Data) -> Data {
        var data = Checkpoint.magic
        withUnsafeBytes(of: Checkpoint.version.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        data.append(floats)
        return data
    }

    /// The valid checkpoint with `old` replaced by `new` in its header.
    static func edited(_ old: String, _ new: String) throws -> Data {
        let (header, floats) = try valid()
        precondition(header.contains(old), "\(old) not in \(header)")
        return file(header: header.replacingOccurrences(of: old, with: new), floats: floats)
    }

    /// Reads `data` as a checkpoint on disk; the error's text, "" if it was accepted.
    func refusal(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-hostile-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        do { _ = try Checkpoint.read(from: url); return "" } catch {
            let text = "\(error)"
            #expect(text.hasPrefix(url.path), "the error names the file: \(text)")
            return text
        }
    }

    @Test func theValidFileIsAccepted() throws {
        let (header, floats) = try Self.valid()
        #expect(try refusal(Self.file(header: header, floats: floats)) == "")
    }

    @Test func aHiddenSizeNearIntMaxIsRefused() throws {
        // Crashed: 4 * hidden overflowed while building the parameter table.
        #expect(try refusal(Self.edited(#""hidden":1"#, #""hidden":4611686018427387904"#)).contains("config.hidden: 4611686018427387904, expected 1...65536"))
    }

    @Test func widthsWhoseParameterCountOverflowsAreRefused() throws {
        // Crashed: the table's count (and 3 * n * 4) overflowed with widths of 2^31.
        #expect(try refusal(Self.edited(#""gcnWidths":[2,2,2]"#, #""gcnWidths":[2147483648,2147483648,2147483648]"#)).contains("config.gcnWidths[0]"))
    }

    @Test func aHugeLayerCountIsRefusedAtOnce() throws {
        // Hung: the table was built for 2^40 LSTM layers before anything was compared.
        #expect(try refusal(Self.edited(#""lstmLayers":2"#, #""lstmLayers":1099511627776"#)).contains("config.lstmLayers: 1099511627776, expected 1...16"))
    }

    @Test func dimensionsTheModelCannotRunAreRefused() throws {
        // Accepted before: the graph has 33 nodes, and the model needs at least one graph layer.
        #expect(try refusal(Self.edited(#""landmarks":33"#, #""landmarks":32"#)).contains("config.landmarks: 32, expected 33"))
        #expect(try refusal(Self.edited(#""gcnWidths":[2,2,2]"#, #""gcnWidths":[]"#)).contains("config.gcnWidths: 0 layers"))
        #expect(try refusal(Self.edited(#""embed":2"#, #""embed":-2"#)).contains("config.embed: -2"))
    }

    @Test func classNamesAndStepAreChecked() throws {
        #expect(try refusal(Self.edited(#""lunge""#, #""squat""#)).contains("class_names[4]: repeats \"squat\""))
        #expect(try refusal(Self.edited(#","lunge""#, "")).contains("class_names: 4 names for 5 classes"))
        #expect(try refusal(Self.edited(#""step":3"#, #""step":-1"#)).contains("step: -1, expected >= 0"))
        #expect(try refusal(Self.edited(#""step":3"#, #""step":"three""#)).contains("step: expected Int"))
        #expect(try refusal(Self.edited(#""step":3,"#, "")).contains("step: missing"))
        #expect(try refusal(Self.edited(#""rng_state":9"#, #""rng_state":1e999"#)).contains("header"))
    }

    @Test func duplicateHeaderKeysAreRefused() throws {
        // Foundation's decoder took the first of two "step" keys.
        #expect(try refusal(Self.edited(#""step":3"#, #""step":3,"step":4"#)).contains("duplicate key \"step\""))
    }

    @Test func nonFiniteParametersAndNegativeSecondMomentsAreRefused() throws {
        let (header, floats) = try Self.valid()
        let n = ParameterTable(Self.tiny).count
        var nan = floats
        nan.replaceSubrange(8..<12, with: withUnsafeBytes(of: Float.nan) { Data($0) })
        #expect(try refusal(Self.file(header: header, floats: nan)).contains("params: gcn.0.weight[2] is nan"))
        var negative = floats
        negative.replaceSubrange(8 * n + 4..<8 * n + 8, with: withUnsafeBytes(of: Float(-1)) { Data($0) })
        #expect(try refusal(Self.file(header: header, floats: negative)).contains("adam_v: gcn.0.weight[1] is -1.0; expected a finite number >= 0"))
    }

    @Test func truncatedAndPaddedFilesAreRefused() throws {
        let (header, floats) = try Self.valid()
        let whole = Self.file(header: header, floats: floats)
        #expect(try refusal(whole.prefix(whole.count - 1)).contains("truncated or padded"))
        #expect(try refusal(whole + Data([0])).contains("truncated or padded"))
        #expect(try refusal(whole.prefix(20)).contains("header length"))
        #expect(try refusal(whole.prefix(15)).contains("bad magic"))
    }

    @Test func loadingAnInconsistentCheckpointIsAnError() throws {
        singleThreadedBLAS()
        let trainer = Trainer<Float>(config: Self.tiny, batch: 1, time: 1)
        var checkpoint = trainer.checkpoint()
        checkpoint.params.append(1)
        #expect(throws: CheckpointError(path: "checkpoint", field: "params", reason: "\(trainer.params.count + 1) values, expected \(trainer.params.count)")) {
            try trainer.load(checkpoint)
        }
    }
}
