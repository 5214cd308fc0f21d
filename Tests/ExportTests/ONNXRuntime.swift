import Foundation
import Model
import NumPy
import TestSupport

/// onnx's checker and onnxruntime (CPU), run through `tools/onnx_run.py` in the venv `make setup` makes.
enum ONNXRuntime {
    static let python = ProcessInfo.processInfo.environment["BIOMECH_ONNX_PYTHON"]
        ?? MediaPipeFixture.root.appendingPathComponent(".onnx/venv/bin/python").path
    static let script = MediaPipeFixture.root.appendingPathComponent("tools/onnx_run.py").path

    /// What the checker and the model's header say.
    struct Info: Decodable {
        var checker: String
        var error: String?
        var opset: Int?
        var irVersion: Int?
        var inputs: [String: [Dimension]]?
        var outputs: [String: [Dimension]]?
        var metadata: [String: String]?
        var nodes: Int?
        enum CodingKeys: String, CodingKey {
            case checker, error, opset, inputs, outputs, metadata, nodes
            case irVersion = "ir_version"
        }
    }

    /// A dimension as the script prints it: a number or a name.
    enum Dimension: Decodable, Equatable {
        case fixed(Int), named(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int.self) { self = .fixed(n) } else { self = .named(try c.decode(String.self)) }
        }
    }

    /// onnxruntime's five outputs for one batch, flattened.
    struct Outputs {
        var form: [Float], angles: [Float], logits: [Float], probabilities: [Float], risk: [Float]
    }

    /// Checks `model`; with `x` ([B, T, 33, 3]) also runs it. Throws when the script fails.
    static func run(_ model: URL, x: [Float]? = nil, batch: Int = 0, time: Int = 0, in folder: TemporaryFolder) throws -> (Info, Outputs?) {
        var arguments = [script, model.path]
        let out = folder("onnx-out-\(UUID().uuidString.prefix(8))")
        if let x {
            let input = folder("x-\(UUID().uuidString.prefix(8)).npy")
            try NPYFile.write(try NPYTypedArray(shape: [batch, time, 33, 3], values: x), to: input)
            arguments += ["--input", input.path, "--out", out.path]
        }
        let result = try Tools.run(python, arguments)
        guard let line = result.stdout.split(separator: "\n").last, let info = try? JSONDecoder().decode(Info.self, from: Data(line.utf8)) else {
            throw FixtureError("onnx_run.py \(model.path) exited \(result.status): \(result.all)")
        }
        guard x != nil, info.checker == "passed" else { return (info, nil) }
        func read(_ name: String) throws -> [Float] { try NPYFile.read(out.appendingPathComponent(name + ".npy"), as: Float.self).values }
        return (info, Outputs(form: try read("form"), angles: try read("angles"), logits: try read("exercise_logits"),
                              probabilities: try read("exercise_probs"), risk: try read("risk")))
    }
}

/// How far onnxruntime's outputs are from the Swift inference path's.
struct Parity: CustomStringConvertible {
    /// Per output: the largest absolute difference over the largest magnitude of the Swift output.
    var relative: [String: Double] = [:]
    /// Windows whose most likely exercise differs.
    var argmaxDisagreements = 0
    var worst: Double { relative.values.max() ?? 0 }
    var description: String {
        relative.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2e", $0.value))" }.joined(separator: ", ")
            + "; argmax disagreements \(argmaxDisagreements)"
    }

    init(_ swift: Predictions, _ onnx: ONNXRuntime.Outputs) {
        func compare(_ name: String, _ a: [Float], _ b: [Float]) {
            precondition(a.count == b.count, "\(name): \(a.count) Swift values, \(b.count) from onnxruntime")
            let scale = a.map { Double(abs($0)) }.max() ?? 0
            let difference = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0
            relative[name] = scale > 0 ? difference / scale : difference
        }
        compare("form", swift.form, onnx.form)
        compare("angles", swift.angles, onnx.angles)
        compare("exercise_logits", swift.logits, onnx.logits)
        compare("exercise_probs", swift.probabilities, onnx.probabilities)
        compare("risk", swift.risk, onnx.risk)
        let k = swift.classes
        func argmax(_ v: [Float], _ row: Int) -> Int { (0..<k).max { v[row * k + $0] < v[row * k + $1] }! }
        argmaxDisagreements = (0..<swift.batch).filter { argmax(swift.logits, $0) != argmax(onnx.logits, $0) }.count
    }
}
