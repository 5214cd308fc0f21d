import ArgumentParser
import Foundation
import Model
import ONNXExport

/// Exports a checkpoint: its weights as safetensors, or its whole inference graph as ONNX (docs/DEPLOY.md).
struct ExportCommand: ParsableCommand {
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
        if dynamicBatch, batch != 1 { throw ValidationError("--batch \(batch) fixes the batch size: give --no-dynamic-batch with it") }
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
