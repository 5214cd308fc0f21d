import ArgumentParser
import Foundation
import Model
import ONNXExport

/// Writes a freshly initialised checkpoint (PyTorch's default initialisation).
struct InitCheckpoint: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a freshly initialised checkpoint.")
    @Option(help: "Output checkpoint.") var out: String
    @Option(help: "Initialisation seed.") var seed: UInt64 = 0

    func run() throws {
        try Trainer<Float>(config: ModelConfig(), batch: 1, time: 1, seed: seed).checkpoint().write(to: URL(fileURLWithPath: out))
        print("wrote \(out)")
    }
}

/// Exports a checkpoint: its weights as safetensors, or its whole inference graph as ONNX (docs/DEPLOY.md).
struct ExportWeights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Checkpoint -> safetensors (PyTorch state_dict names) or an ONNX model (docs/DEPLOY.md).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case safetensors, onnx
    }

    @Option(help: "What to write: \(Format.allCases.map(\.rawValue).joined(separator: " or ")).") var format: Format = .safetensors
    @Option(help: "Checkpoint to read.") var ckpt: String
    @Option(help: "File to write.") var out: String
    @Option(help: "ONNX: the opset (\(ONNXExportOptions.opsets.lowerBound)-\(ONNXExportOptions.opsets.upperBound)).")
    var opset = 17
    @Flag(inversion: .prefixedNo, help: "ONNX: any batch size (a named batch dimension); without it, --batch fixes it.")
    var dynamicBatch = true
    @Option(help: "ONNX with --no-dynamic-batch: the fixed batch size.") var batch = 1
    @Flag(help: "ONNX: normalize the input inside the graph, so x is the landmarks as extracted (docs/DEPLOY.md).")
    var normalizeInGraph = false

    func validate() throws {
        if format == .onnx, let problem = onnxOptions.problem { throw ValidationError(problem) }
        if format == .safetensors, opset != 17 || !dynamicBatch || normalizeInGraph {
            throw ValidationError("--opset, --no-dynamic-batch and --normalize-in-graph apply to --format onnx only")
        }
    }

    var onnxOptions: ONNXExportOptions {
        var options = ONNXExportOptions()
        options.opset = opset
        options.batch = dynamicBatch ? nil : batch
        options.normalizeInGraph = normalizeInGraph
        return options
    }

    func run() throws {
        switch format {
        case .safetensors:
            let checkpoint = try Checkpoint.read(from: URL(fileURLWithPath: ckpt))
            try SafeTensors.write(params: checkpoint.params, table: ParameterTable(checkpoint.header.config),
                                  metadata: ["format": "pt", "classes": checkpoint.header.classNames.joined(separator: ",")],
                                  to: URL(fileURLWithPath: out))
            print("wrote \(out)")
        case .onnx:
            let s = try ONNXExporter.export(checkpoint: URL(fileURLWithPath: ckpt), to: URL(fileURLWithPath: out), options: onnxOptions)
            let batch = onnxOptions.batch.map(String.init) ?? "batch"
            print("wrote \(s.path): opset \(s.opset), \(s.nodes) nodes, \(s.parameters) parameters, \(s.bytes) bytes; "
                  + "x [\(batch), \(s.window), 33, 3]\(normalizeInGraph ? " (landmarks; normalized in the graph)" : ""); "
                  + "classes \(s.classNames.joined(separator: ", "))")
        }
    }
}

/// Imports safetensors weights (e.g. from PyTorch) into a fresh checkpoint of the production dimensions.
struct ImportWeights: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "safetensors -> checkpoint (Adam moments start at zero).")
    @Argument(help: "safetensors file to read.") var weights: String
    @Option(help: "Checkpoint to write.") var out: String

    func run() throws {
        let config = ModelConfig()
        let params = try SafeTensors.read(URL(fileURLWithPath: weights), table: ParameterTable(config))
        let zeros = [Float](repeating: 0, count: params.count)
        try Checkpoint(config: config, classNames: ModelConfig.classNames, step: 0,
                       rngState: 0, params: params, m: zeros, v: zeros).write(to: URL(fileURLWithPath: out))
        print("wrote \(out)")
    }
}
