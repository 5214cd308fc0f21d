import BiomechCore
import Foundation
import Model
import NumPy
import ONNXExport
import TestSupport
import Testing

/// `biomech-train export --format onnx` as users run it: what the file carries, and what it refuses.
@Suite("biomech-train export --format onnx")
struct ExportCommandTests {
    static let tool = Tools.product("biomech-train")

    @Test("a checkpoint with other class names: the model carries them, its header and the checkpoint's hash")
    func classNames() throws {
        let folder = try TemporaryFolder()
        var config = ParityTests.small
        config.classes = 3
        let names = ["plank", "push_up", "barbell_row"]
        let checkpoint = try ParityTests.checkpoint(config, classNames: names, in: folder)
        let model = folder("three.onnx")
        let run = try Tools.run(Self.tool, ["export", "--format", "onnx", "--ckpt", checkpoint.path, "--out", model.path])
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stdout.contains("classes plank, push_up, barbell_row"), "\(run.stdout)")

        var w = ExportWindows()
        w.addSynthetic([0, 5], perSequence: 1)
        let (info, outputs) = try ONNXRuntime.run(model, x: w.normalized, batch: w.count, time: ExportWindows.frames, in: folder)
        #expect(info.checker == "passed", "\(info.error ?? "")")
        let metadata = try #require(info.metadata)
        #expect(metadata["biomech.class_names"] == #"["plank","push_up","barbell_row"]"#)
        #expect(metadata["biomech.window"] == "60")
        #expect(metadata["biomech.coords"] == "world")
        #expect(metadata["biomech.normalize_in_graph"] == "false")
        #expect(metadata["biomech.tool"] == "biomech-train \(BiomechVersion.string)")
        #expect(metadata["biomech.checkpoint_sha256"] == (try FileDigest.sha256(ofFile: checkpoint.path).hex))
        #expect(info.inputs?["x"] == [.named("batch"), .fixed(60), .fixed(33), .fixed(3)])
        #expect(info.outputs?["exercise_probs"] == [.named("batch"), .fixed(3)])
        #expect(info.outputs?["form"] == [.named("batch")])
        #expect(info.irVersion == 8 && info.opset == 17)
        let probabilities = try #require(outputs).probabilities
        #expect(probabilities.count == 3 * w.count)
        for row in 0..<w.count { #expect(abs(probabilities[(row * 3)..<(row * 3 + 3)].reduce(0, +) - 1) < 1e-5) }
    }

    @Test("--no-dynamic-batch fixes the batch dimension")
    func fixedBatch() throws {
        let folder = try TemporaryFolder()
        let checkpoint = try ParityTests.checkpoint(ParityTests.small, in: folder)
        let model = folder("fixed.onnx")
        let run = try Tools.run(Self.tool, ["export", "--format", "onnx", "--ckpt", checkpoint.path, "--out", model.path,
                                            "--no-dynamic-batch", "--batch", "2", "--opset", "19"])
        #expect(run.status == 0, "\(run.all)")
        let (info, _) = try ONNXRuntime.run(model, in: folder)
        #expect(info.inputs?["x"] == [.fixed(2), .fixed(60), .fixed(33), .fixed(3)])
        #expect(info.outputs?["angles"] == [.fixed(2), .fixed(6)])
        #expect(info.opset == 19 && info.irVersion == 9)
    }

    @Test("a corrupt or truncated checkpoint is refused with a message naming it, and nothing is written")
    func corruptCheckpoint() throws {
        let folder = try TemporaryFolder()
        let good = try Data(contentsOf: try ParityTests.checkpoint(ParityTests.small, in: folder))
        let cases: [(String, Data, String)] = [
            ("text.ckpt", Data("not a checkpoint at all".utf8), "not a biomech checkpoint"),
            ("truncated.ckpt", good.prefix(good.count - 1000), "truncated"),
            ("header.ckpt", good.prefix(40), "header"),
        ]
        for (name, bytes, expected) in cases {
            let ckpt = try folder.write(name, bytes)
            let out = folder(name + ".onnx")
            let run = try Tools.run(Self.tool, ["export", "--format", "onnx", "--ckpt", ckpt.path, "--out", out.path])
            #expect(run.status == 1, "\(name): \(run.all)")
            #expect(run.stderr.contains(ckpt.path) && run.stderr.contains(expected), "\(name): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(name)")
        }
    }

    @Test("bad options exit 2 with the option named")
    func badOptions() throws {
        let folder = try TemporaryFolder()
        let checkpoint = try ParityTests.checkpoint(ParityTests.small, in: folder)
        let cases: [([String], String)] = [
            (["--format", "onnx", "--opset", "9"], "--opset 9"),
            (["--format", "onnx", "--no-dynamic-batch", "--batch", "0"], "--batch 0"),
            (["--format", "safetensors", "--opset", "18"], "--format onnx only"),
            (["--format", "tflite"], "tflite"),
        ]
        for (arguments, expected) in cases {
            let run = try Tools.run(Self.tool, ["export", "--ckpt", checkpoint.path, "--out", folder("x.onnx").path] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.all)")
            #expect(run.stderr.contains(expected), "\(arguments): \(run.stderr)")
        }
    }

    @Test("docs/DEPLOY.md's Python: normalize() equals windowing's normalization, and the example runs on an export")
    func deployDocument() throws {
        let folder = try TemporaryFolder()
        let text = try String(contentsOf: MediaPipeFixture.root.appendingPathComponent("docs/DEPLOY.md"), encoding: .utf8)
        let blocks = text.components(separatedBy: "```python\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        try #require(blocks.count == 2, "docs/DEPLOY.md has \(blocks.count) Python blocks; this test knows two")
        var w = ExportWindows()
        w.addSynthetic([1, 6, 13], perSequence: 2)
        let shape = [w.count, ExportWindows.frames, 33, 3]

        try NPYFile.write(try NPYTypedArray(shape: shape, values: w.raw), to: folder("raw.npy"))
        let normalize = try folder.write("normalize.py", Data((blocks[0] + """

            import sys
            np.save(sys.argv[2], np.stack([normalize(window) for window in np.load(sys.argv[1])]))

            """).utf8))
        let normalized = try Tools.run(ONNXRuntime.python, [normalize.path, folder("raw.npy").path, folder("normalized.npy").path])
        #expect(normalized.status == 0, "\(normalized.all)")
        let numpy = try NPYFile.read(folder("normalized.npy"), as: Float.self).values
        let worst = zip(numpy, w.normalized).map { abs($0 - $1) }.max() ?? .infinity
        #expect(numpy.count == w.normalized.count && worst <= 1e-5, "largest difference \(worst)")

        _ = try ONNXExporter.export(checkpoint: try ParityTests.checkpoint(ModelConfig(), in: folder), to: folder("model.onnx"))
        try NPYFile.write(try NPYTypedArray(shape: shape, values: w.normalized), to: folder("windows.npy"))
        let example = try folder.write("example.py", Data(blocks[1].utf8))
        let run = try Tools.run(ONNXRuntime.python, [example.path], directory: folder.url)
        #expect(run.status == 0, "\(run.all)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == w.count, "\(run.stdout)")
        for line in lines { #expect(ModelConfig.classNames.contains { line.hasPrefix($0 + " ") } && line.contains("form "), "\(line)") }
    }
}
