import BiomechCore
import Foundation
import Model
import SwiftProtobuf

/// How `ONNXExporter` writes the graph.
public struct ONNXExportOptions: Sendable, Equatable {
    /// The opsets the exporter can write: from 14 (Reshape's `allowzero`) to 23; docs/DEPLOY.md.
    public static let opsets = 14...23
    public var opset = 17
    /// nil: the batch dimension is named `batch` and takes any size; a number fixes it (TensorRT's
    /// static engines, some phone runtimes).
    public var batch: Int? = nil
    /// Put the windows' normalization into the graph, so that `x` is the landmarks as extracted.
    public var normalizeInGraph = false
    public init() {}

    /// The first option the exporter cannot honour; nil when all are usable.
    public var problem: String? {
        if !Self.opsets.contains(opset) { return "--opset \(opset): expected \(Self.opsets.lowerBound)...\(Self.opsets.upperBound)" }
        if let batch, batch < 1 { return "--batch \(batch): expected at least 1 (or a dynamic batch)" }
        return nil
    }
}

/// What an export wrote.
public struct ONNXExportSummary: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var opset: Int
    public var nodes: Int
    public var parameters: Int
    public var window: Int
    public var classNames: [String]
}

/// Options the exporter cannot use (exit 2); checkpoint problems stay `CheckpointError`s.
public struct ONNXExportError: BiomechError, Equatable {
    public var message: String
    public var exitCode: Int32 { ExitStatus.usage }
    public var description: String { "export: \(message)" }
}

/// Writes a checkpoint's inference graph as an ONNX model (docs/DEPLOY.md): input `x`
/// [B, T, 33, 3]; outputs `form`, `angles`, `exercise_logits`, `exercise_probs`, `risk`.
public enum ONNXExporter {
    /// The ONNX IR version each opset was released with: the oldest a runtime must read.
    static func irVersion(opset: Int) -> Int64 {
        switch opset {
        case ...14: 7
        case 15...18: 8
        case 19...20: 9
        case 21...22: 10
        default: 11
        }
    }

    /// The serialized model of `checkpoint`; `sha256` is the checkpoint file's, recorded in the metadata.
    public static func model(of checkpoint: Checkpoint, sha256: String, options: ONNXExportOptions = .init()) throws -> Data {
        try proto(of: checkpoint, sha256: sha256, options: options).serializedBytes()
    }

    static func proto(of checkpoint: Checkpoint, sha256: String, options: ONNXExportOptions) throws -> Onnx_ModelProto {
        if let problem = options.problem { throw ONNXExportError(message: problem) }
        let header = checkpoint.header, config = header.config
        let window = header.window ?? 60
        var g = GraphBuilder(name: "biomech_gnn_lstm", opset: options.opset)
        let batch: ONNXDimension = options.batch.map { .fixed($0) } ?? .named("batch")
        g.input("x", [batch, .fixed(window), .fixed(config.landmarks), .fixed(config.inputChannels)],
                doc: options.normalizeInGraph ? Metadata.rawInput(coords: header.coords) : Metadata.normalizedInput)
        let x = options.normalizeInGraph ? g.normalizedWindow("x", time: window) : "x"
        ModelGraph(config: config, params: checkpoint.params, time: window).build(into: &g, x: x)
        g.output("form", [batch], doc: "form score, 0-100")
        g.output("angles", [batch, .fixed(6)], doc: "peak flexion of \(Metadata.angleNames.joined(separator: ", ")), degrees")
        g.output("exercise_logits", [batch, .fixed(config.classes)], doc: "exercise class logits, in class_names order")
        g.output("exercise_probs", [batch, .fixed(config.classes)], doc: "softmax of exercise_logits")
        g.output("risk", [batch], doc: "injury risk, 0-100")

        var model = Onnx_ModelProto()
        model.irVersion = irVersion(opset: options.opset)
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Int64(options.opset)
        model.opsetImport = [opset]
        model.producerName = "biomech-train"
        model.producerVersion = BiomechVersion.string
        model.modelVersion = Int64(header.step)
        model.docString = "biomech GNN-LSTM form model (docs/MODEL.md, docs/DEPLOY.md)"
        model.graph = g.graph
        model.metadataProps = Metadata.entries(header: header, window: window, sha256: sha256, options: options).map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        return model
    }

    /// Reads the checkpoint at `checkpoint` and writes its model to `out` atomically.
    public static func export(checkpoint: URL, to out: URL, options: ONNXExportOptions = .init()) throws -> ONNXExportSummary {
        if let problem = options.problem { throw ONNXExportError(message: problem) }
        let loaded = try Checkpoint.read(from: checkpoint)
        let sha256 = try FileDigest.sha256(ofFile: checkpoint.path).hex
        let model = try proto(of: loaded, sha256: sha256, options: options)
        let data: Data = try model.serializedBytes()
        try AtomicFile.write(data, to: out)
        return ONNXExportSummary(path: out.path, bytes: data.count, opset: options.opset, nodes: model.graph.node.count,
                                 parameters: loaded.params.count, window: loaded.header.window ?? 60, classNames: loaded.header.classNames)
    }
}
