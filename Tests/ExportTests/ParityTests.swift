import Foundation
import Model
import ONNXExport
import TestSupport
import Testing

/// The exported graph in onnxruntime against the Swift inference path, on real and synthetic windows.
@Suite("ONNX export: onnxruntime equals the Swift model")
struct ParityTests {
    /// The largest difference allowed, relative to each output's largest magnitude (the issue's 1e-5).
    static let tolerance = 1e-5

    /// Real windows (the demo video, once per run) followed by synthetic ones of every exercise.
    static let windows: Result<ExportWindows, any Error> = Result {
        var w = ExportWindows()
        try w.addDemoVideo(limit: 6)
        w.addSynthetic(Array(stride(from: 0, to: 20, by: 2)), perSequence: 1)
        return w
    }

    static func checkpoint(_ config: ModelConfig, classNames: [String]? = nil, in folder: TemporaryFolder) throws -> URL {
        var checkpoint = Trainer<Float>(config: config, batch: 1, time: 1, seed: 11).checkpoint(rngState: 11)
        checkpoint.header.window = ExportWindows.frames
        checkpoint.header.coords = "world"
        if let classNames { checkpoint.header.classNames = classNames }
        let url = folder("model.ckpt")
        try checkpoint.write(to: url)
        return url
    }

    static var small: ModelConfig {
        var c = ModelConfig()
        c.gcnWidths = [8, 8, 8]
        c.embed = 16
        c.hidden = 8
        return c
    }

    /// Exports `checkpoint`, runs `x` in onnxruntime and in Swift (`swiftInput`, when the graph normalizes), and compares.
    static func parity(_ checkpoint: URL, options: ONNXExportOptions, x: [Float], swiftInput: [Float]? = nil, batch: Int,
                       in folder: TemporaryFolder) throws -> Parity {
        let model = folder("model-\(options.opset).onnx")
        _ = try ONNXExporter.export(checkpoint: checkpoint, to: model, options: options)
        let (info, outputs) = try ONNXRuntime.run(model, x: x, batch: batch, time: ExportWindows.frames, in: folder)
        #expect(info.checker == "passed", "onnx.checker: \(info.error ?? "")")
        #expect(info.opset == options.opset)
        BLASThreads.set(1)
        let swift = try InferenceModel(checkpoint: try Checkpoint.read(from: checkpoint)).predict(swiftInput ?? x, batch: batch, time: ExportWindows.frames)
        let parity = Parity(swift, try #require(outputs))
        print("parity \(options.opset) batch \(batch)\(options.normalizeInGraph ? " normalize-in-graph" : ""): \(parity)")
        return parity
    }

    @Test("small configuration, opset 17, dynamic batch: real and synthetic windows")
    func small() throws {
        let folder = try TemporaryFolder()
        let w = try Self.windows.get()
        let p = try Self.parity(try Self.checkpoint(Self.small, in: folder), options: ONNXExportOptions(), x: w.normalized, batch: w.count, in: folder)
        #expect(p.worst <= Self.tolerance, "\(p)")
        #expect(p.argmaxDisagreements == 0)
    }

    @Test("production configuration, opset 17, dynamic batch: real and synthetic windows")
    func production() throws {
        let folder = try TemporaryFolder()
        let w = try Self.windows.get()
        let p = try Self.parity(try Self.checkpoint(ModelConfig(), in: folder), options: ONNXExportOptions(), x: w.normalized, batch: w.count, in: folder)
        #expect(p.worst <= Self.tolerance, "\(p)")
        #expect(p.argmaxDisagreements == 0)
    }

    @Test("production configuration, opset 21 (reduction axes as inputs), a fixed batch of four")
    func opset21() throws {
        let folder = try TemporaryFolder()
        let w = try Self.windows.get()
        var options = ONNXExportOptions()
        options.opset = 21
        options.batch = 4
        let four = Array(w.normalized.prefix(4 * ExportWindows.frames * 99))
        let p = try Self.parity(try Self.checkpoint(ModelConfig(), in: folder), options: options, x: four, batch: 4, in: folder)
        #expect(p.worst <= Self.tolerance, "\(p)")
    }

    @Test("normalization in the graph: landmarks in, the same outputs as windowing's normalization then the model")
    func normalizeInGraph() throws {
        let folder = try TemporaryFolder()
        let w = try Self.windows.get()
        #expect(zip(w.raw, w.normalized).contains { abs($0 - $1) > 0.1 }, "the landmarks differ from the model's input")
        var options = ONNXExportOptions()
        options.normalizeInGraph = true
        let p = try Self.parity(try Self.checkpoint(ModelConfig(), in: folder), options: options, x: w.raw, swiftInput: w.normalized,
                                batch: w.count, in: folder)
        #expect(p.worst <= Self.tolerance, "\(p)")
        #expect(p.argmaxDisagreements == 0)
    }
}
