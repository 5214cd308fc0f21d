import Biomechanics
import Model

// The GNN-LSTM's inference graph in ONNX operators, layer for layer as GNNLSTM.forward computes it.
// Shape key: B batch (named `batch`, or fixed), T time (the checkpoint's window), V landmarks (33),
// C channels, W graph widths, E embedding, H hidden per direction, Z = 2H, K classes.
//   x [B, T, V, 3] -> per layer: Relu(Â · (h · W^T) + b) -> [B, T, V, W]
//   -> Reshape [B, T, V*W] -> Relu(· embed^T + b) [B, T, E] -> Transpose [T, B, E]
//   -> per LSTM layer: LSTM (bidirectional) Y [T, 2, B, H] -> Transpose [T, B, 2, H] -> Reshape [T, B, Z]
//   -> ReduceMean and ReduceMax over T, Concat [B, 2Z] -> four Gemm heads, scaled to the labels' units.

/// Builds the ONNX graph of one checkpoint's weights.
struct ModelGraph {
    let config: ModelConfig
    let table: ParameterTable
    let params: [Float]
    let time: Int

    init(config: ModelConfig, params: [Float], time: Int) {
        self.config = config
        table = ParameterTable(config)
        self.params = params
        self.time = time
    }

    /// The parameter `name` as stored ([out, in] for weights).
    func tensor(_ name: String) -> [Float] {
        let entry = table[name]
        return Array(params[entry.offset..<(entry.offset + entry.count)])
    }

    /// `rows` x `columns` (row-major) transposed.
    static func transposed(_ m: [Float], rows: Int, columns: Int) -> [Float] {
        var t = [Float](repeating: 0, count: m.count)
        for r in 0..<rows { for c in 0..<columns { t[c * rows + r] = m[r * columns + c] } }
        return t
    }

    /// Adds the layers from the (normalized) input `x` to the five outputs.
    func build(into g: inout GraphBuilder, x: String) {
        let c = config, v = c.landmarks
        g.scope = "gcn"
        let adjacency = g.weight("gcn.adjacency", [v, v], SkeletonGraph.normalizedAdjacency().map { Float($0) })
        var h = x, channels = c.inputChannels
        for (l, width) in c.gcnWidths.enumerated() {
            g.scope = "gcn.\(l)"
            let w = g.weight("gcn.\(l).weight_t", [channels, width], Self.transposed(tensor("gcn.\(l).weight"), rows: width, columns: channels))
            let b = g.weight("gcn.\(l).bias", [width], tensor("gcn.\(l).bias"))
            let xw = g.op("MatMul", h, w)
            let mixed = g.op("MatMul", adjacency, xw)   // [V, V] broadcast over B and T
            h = g.op("Relu", g.op("Add", mixed, b))
            channels = width
        }
        g.scope = "embed"
        let flat = g.reshape(h, [0, 0, v * channels])
        let ew = g.weight("embed.weight_t", [v * channels, c.embed], Self.transposed(tensor("embed.weight"), rows: c.embed, columns: v * channels))
        let eb = g.weight("embed.bias", [c.embed], tensor("embed.bias"))
        let embedded = g.op("Relu", g.op("Add", g.op("MatMul", flat, ew), eb))
        var sequence = g.op("Transpose", embedded, attributes: [Attribute.ints("perm", [1, 0, 2])])   // [T, B, E]
        var input = c.embed
        for layer in 0..<c.lstmLayers {
            sequence = lstm(&g, sequence, layer: layer, input: input)
            input = 2 * c.hidden
        }
        g.scope = "pool"
        let mean = g.reduce("ReduceMean", sequence, axes: [0], keepDims: false)
        let maximum = g.reduce("ReduceMax", sequence, axes: [0], keepDims: false)
        let pooled = g.op("Concat", mean, maximum, attributes: [Attribute.int("axis", 1)])   // [B, 2Z]: mean, then maximum
        heads(&g, pooled)
    }

    /// One bidirectional layer with ONNX's LSTM: `sequence` [T, B, I] -> [T, B, Z].
    private func lstm(_ g: inout GraphBuilder, _ sequence: String, layer: Int, input: Int) -> String {
        let hidden = config.hidden
        g.scope = "lstm.l\(layer)"
        var w: [Float] = [], r: [Float] = [], b: [Float] = []
        for suffix in ["", "_reverse"] {
            w += Self.onnxGateOrder(tensor("lstm.weight_ih_l\(layer)\(suffix)"), hidden: hidden, columns: input)
            r += Self.onnxGateOrder(tensor("lstm.weight_hh_l\(layer)\(suffix)"), hidden: hidden, columns: hidden)
            // ONNX's B is [Wb, Rb]; this model has one bias per gate, so Rb is zero.
            b += Self.onnxGateOrder(tensor("lstm.bias_l\(layer)\(suffix)"), hidden: hidden, columns: 1) + [Float](repeating: 0, count: 4 * hidden)
        }
        let wName = g.weight("lstm.l\(layer).W", [2, 4 * hidden, input], w)
        let rName = g.weight("lstm.l\(layer).R", [2, 4 * hidden, hidden], r)
        let bName = g.weight("lstm.l\(layer).B", [2, 8 * hidden], b)
        let y = g.node("LSTM", [sequence, wName, rName, bName],
                       attributes: [Attribute.int("hidden_size", hidden), Attribute.string("direction", "bidirectional")])[0]
        let sideBySide = g.op("Transpose", y, attributes: [Attribute.ints("perm", [0, 2, 1, 3])])   // [T, B, 2, H]: forward, then reverse
        return g.reshape(sideBySide, [0, 0, 2 * hidden])
    }

    /// Rows of a [4H, columns] gate tensor from this model's order (i, f, g, o) to ONNX's (i, o, f, c).
    static func onnxGateOrder(_ m: [Float], hidden: Int, columns: Int) -> [Float] {
        let block = hidden * columns
        return [0, 3, 1, 2].flatMap { gate in m[(gate * block)..<((gate + 1) * block)] }
    }

    /// The four heads on `pooled` [B, 2Z], in the labels' units: form and risk 0-100, angles in degrees.
    private func heads(_ g: inout GraphBuilder, _ pooled: String) {
        func gemm(_ head: String, _ outputs: Int) -> String {
            g.scope = head
            let w = g.weight("\(head).weight", [outputs, 4 * config.hidden], tensor("\(head).weight"))
            let b = g.weight("\(head).bias", [outputs], tensor("\(head).bias"))
            return g.op("Gemm", pooled, w, b, attributes: [Attribute.int("transB", 1)])
        }
        let form = gemm("form", 1)
        _ = g.op("Mul", g.reshape(form, [-1]), g.scalar(100), named: "form")
        let angles = gemm("angles", 6)
        _ = g.op("Mul", angles, g.scalar(180), named: "angles")
        let logits = gemm("exercise", config.classes)
        _ = g.op("Identity", logits, named: "exercise_logits")
        _ = g.op("Softmax", logits, named: "exercise_probs", attributes: [Attribute.int("axis", 1)])
        let risk = gemm("risk", 1)
        _ = g.op("Mul", g.reshape(risk, [-1]), g.scalar(100), named: "risk")
    }
}
