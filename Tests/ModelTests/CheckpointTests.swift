import BiomechCore
import Foundation
@testable import Model
import Testing

@Suite struct CheckpointTests {
    static var small: ModelConfig {
        var c = ModelConfig()
        c.gcnWidths = [4, 4, 4]
        c.embed = 8
        c.hidden = 4
        return c
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-ckpt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func trained() throws -> Trainer<Float> {
        singleThreadedBLAS()
        let trainer = Trainer<Float>(config: Self.small, batch: 2, time: 3, seed: 4)
        let count = 2 * 3 * 33 * 3
        let x: [Float] = (0..<count).map { (i: Int) -> Float in Float(i % 17) / 17 - 0.5 }
        let labels = Labels(form: [50, 80], angles: Array(repeating: 90, count: 12), exercise: [1, 2], risk: [20, 40])
        for _ in 0..<3 { try trainer.step(x: x, labels: labels) }
        return trainer
    }

    @Test func checkpointRoundTripIsExact() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try trained()
        let original = trainer.checkpoint(rngState: 77)
        try original.write(to: dir.appendingPathComponent("a.ckpt"))
        let loaded = try Checkpoint.read(from: dir.appendingPathComponent("a.ckpt"), expecting: Self.small)
        #expect(loaded == original)
        #expect(loaded.header.step == 3 && loaded.header.rngState == 77)
        let other = Trainer<Float>(config: Self.small, batch: 2, time: 3, seed: 99)
        try other.load(loaded)
        #expect(Array(other.params) == Array(trainer.params))
        #expect(other.optimizer.step == 3)
    }

    @Test func wrongVersionAndDimensionsAreRefused() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.ckpt")
        try trained().checkpoint().write(to: url)
        var bytes = try Data(contentsOf: url)
        bytes[8] = 7   // version 7
        try bytes.write(to: dir.appendingPathComponent("v7.ckpt"))
        #expect { try Checkpoint.read(from: dir.appendingPathComponent("v7.ckpt")) } throws: { "\($0)".contains("format version 7") }
        #expect { try Checkpoint.read(from: url, expecting: ModelConfig()) } throws: { "\($0)".contains("model dimensions differ") }
        try Data("not a checkpoint at all".utf8).write(to: dir.appendingPathComponent("junk.ckpt"))
        #expect { try Checkpoint.read(from: dir.appendingPathComponent("junk.ckpt")) } throws: { "\($0)".contains("bad magic") }
        try bytes.prefix(bytes.count - 4).write(to: dir.appendingPathComponent("short.ckpt"))
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: dir.appendingPathComponent("short.ckpt")) }
    }

    @Test func safetensorsRoundTripIsExactAndSplitsTheLSTMBias() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try trained()
        let table = trainer.model.table
        let url = dir.appendingPathComponent("w.safetensors")
        try SafeTensors.write(params: Array(trainer.params), table: table, to: url)
        #expect(try SafeTensors.read(url, table: table) == Array(trainer.params))
        // The header names PyTorch's tensors: two LSTM biases per layer and direction, the hh one zero.
        let data = try Data(contentsOf: url)
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = String(decoding: data.subdata(in: 8..<8 + length), as: UTF8.self)
        for name in ["lstm.bias_ih_l0", "lstm.bias_hh_l0", "lstm.bias_hh_l1_reverse", "gcn.0.weight", "exercise.bias"] {
            #expect(header.contains("\"\(name)\""))
        }
        #expect(!header.contains("\"lstm.bias_l0\""))
        #expect((8 + length) % 8 == 0)
    }
}
