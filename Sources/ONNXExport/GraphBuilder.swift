import Foundation

/// One dimension of a graph input or output: a number, or a name that the runtime binds (`batch`).
public enum ONNXDimension: Sendable, Equatable {
    case fixed(Int)
    case named(String)
}

/// Collects an ONNX graph's nodes, constant tensors, inputs and outputs, with opset-aware helpers.
///
/// Values are named `<scope>/<op>_<n>`, so a graph viewer (Netron) groups them by layer; outputs
/// that the caller names keep their names.
struct GraphBuilder {
    private(set) var graph = Onnx_GraphProto()
    let opset: Int
    private var counter = 0
    /// The layer the next values are named after ("gcn.0", "lstm.l1").
    var scope = ""

    init(name: String, opset: Int) {
        graph.name = name
        self.opset = opset
    }

    // MARK: Values

    /// A float32 constant of `shape` holding `values` in C order; returns its name.
    @discardableResult
    mutating func weight(_ name: String, _ shape: [Int], _ values: [Float]) -> String {
        precondition(shape.reduce(1, *) == values.count, "\(name): \(values.count) values for shape \(shape)")
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.rawData = values.map(\.bitPattern.littleEndian).withUnsafeBytes { Data($0) }
        graph.initializer.append(tensor)
        return name
    }

    /// A 1-D int64 constant (shapes, indices, axes); returns its name.
    mutating func int64s(_ values: [Int], name: String? = nil) -> String {
        let name = name ?? fresh("const")
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = [Int64(values.count)]
        tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        tensor.int64Data = values.map(Int64.init)
        graph.initializer.append(tensor)
        return name
    }

    /// A float32 scalar constant; returns its name.
    mutating func scalar(_ value: Float) -> String {
        let name = fresh("const")
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.floatData = [value]
        graph.initializer.append(tensor)
        return name
    }

    mutating func input(_ name: String, _ shape: [ONNXDimension], doc: String) {
        graph.input.append(Self.valueInfo(name, shape, doc: doc))
    }

    mutating func output(_ name: String, _ shape: [ONNXDimension], doc: String) {
        graph.output.append(Self.valueInfo(name, shape, doc: doc))
    }

    private static func valueInfo(_ name: String, _ shape: [ONNXDimension], doc: String) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.docString = doc
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.shape.dim = shape.map { dimension in
            var d = Onnx_TensorShapeProto.Dimension()
            switch dimension {
            case .fixed(let n): d.dimValue = Int64(n)
            case .named(let s): d.dimParam = s
            }
            return d
        }
        info.type.tensorType = tensor
        return info
    }

    private mutating func fresh(_ op: String) -> String {
        counter += 1
        return scope.isEmpty ? "\(op)_\(counter)" : "\(scope)/\(op)_\(counter)"
    }

    // MARK: Nodes

    /// Adds a node of `op` and returns its outputs' names (`outputs` of them, or the ones given).
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], outputs: Int = 1, named: [String]? = nil,
                       attributes: [Onnx_AttributeProto] = []) -> [String] {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = fresh(op)
        node.input = inputs
        node.output = named ?? (0..<outputs).map { _ in fresh(op.lowercased()) }
        node.attribute = attributes
        graph.node.append(node)
        return node.output
    }

    /// A node with one output.
    mutating func op(_ op: String, _ inputs: String..., named: String? = nil, attributes: [Onnx_AttributeProto] = []) -> String {
        node(op, inputs, named: named.map { [$0] }, attributes: attributes)[0]
    }

    /// ReduceMean, ReduceMax or ReduceSumSquare over `axes`: an attribute before opset 18, an input from 18 on.
    mutating func reduce(_ op: String, _ input: String, axes: [Int], keepDims: Bool, named: String? = nil) -> String {
        let keep = Attribute.int("keepdims", keepDims ? 1 : 0)
        if opset >= 18 {
            let axesInput = int64s(axes)
            return node(op, [input, axesInput], named: named.map { [$0] }, attributes: [keep])[0]
        }
        return node(op, [input], named: named.map { [$0] }, attributes: [Attribute.ints("axes", axes), keep])[0]
    }

    /// Reshape to `shape` (0 keeps that dimension, -1 takes what is left).
    mutating func reshape(_ input: String, _ shape: [Int], named: String? = nil) -> String {
        let target = int64s(shape)
        return node("Reshape", [input, target], named: named.map { [$0] })[0]
    }
}

/// Node attributes.
enum Attribute {
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(value)
        return a
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .string
        a.s = Data(value.utf8)
        return a
    }
}
