import Biomechanics

// The whole model, forward and backward: graph convolutions per frame, a frame embedding, a
// two-layer bidirectional LSTM, the mean over time, and four linear heads.
// Shape key: B batch, T time, V landmarks, C input channels (3), W graph widths, E embedding,
// H hidden per direction, K classes. Head outputs per sample: form, 6 angles, K logits, risk.

/// The GNN-LSTM with its activations for one batch size and length, generic over Float and Double.
public final class GNNLSTM<T: BLASScalar> {
    public let config: ModelConfig
    public let table: ParameterTable
    public let b: Int, t: Int
    let adjacency: [T]
    // Activations kept for the backward pass, in buffers allocated once (stable addresses, no copies).
    let gcnOut: [UnsafeMutableBufferPointer<T>], gcnXW: [UnsafeMutableBufferPointer<T>]
    let embed: UnsafeMutableBufferPointer<T>
    let layerOut: [UnsafeMutableBufferPointer<T>]
    var caches: [[LSTMCache<T>]]
    let pooled: UnsafeMutableBufferPointer<T>
    public private(set) var predictions: [T]

    public var headWidth: Int { 8 + config.classes }

    public init(config: ModelConfig, batch: Int, time: Int) {
        self.config = config
        table = ParameterTable(config)
        b = batch
        t = time
        adjacency = SkeletonGraph.normalizedAdjacency().map { T($0) }
        let frames = batch * time
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
            b.initialize(repeating: 0)
            return b
        }
        gcnOut = config.gcnWidths.map { buffer(frames * config.landmarks * $0) }
        gcnXW = config.gcnWidths.map { buffer(frames * config.landmarks * $0) }
        embed = buffer(frames * config.embed)
        layerOut = (0..<config.lstmLayers).map { _ in buffer(frames * 2 * config.hidden) }
        caches = (0..<config.lstmLayers).map { _ in (0..<2).map { _ in LSTMCache<T>(b: batch, t: time, hidden: config.hidden) } }
        pooled = buffer(batch * 2 * config.hidden)
        predictions = [T](repeating: 0, count: batch * (8 + config.classes))
    }

    deinit {
        (gcnOut + gcnXW + layerOut + [embed, pooled]).forEach { $0.deallocate() }
    }

    func at(_ p: UnsafePointer<T>, _ name: String) -> UnsafePointer<T> { p + table[name].offset }
    func at(_ p: UnsafeMutablePointer<T>, _ name: String) -> UnsafeMutablePointer<T> { p + table[name].offset }

    static var heads: [(String, Int)] { [("form", 1), ("angles", 6), ("exercise", -1), ("risk", 1)] }

    /// Runs `x` [B, T, V, C] through the model; the outputs are in `predictions` [B, 8 + K].
    public func forward(params: UnsafePointer<T>, x: UnsafePointer<T>) {
        let c = config, frames = b * t, v = c.landmarks
        var input = UnsafePointer(x), channels = c.inputChannels
        for (l, width) in c.gcnWidths.enumerated() {
            GraphConv.forward(out: gcnOut[l].baseAddress!, xw: gcnXW[l].baseAddress!, inp: input, weight: at(params, "gcn.\(l).weight"),
                              bias: at(params, "gcn.\(l).bias"), adjacency: adjacency, f: frames, v: v, c: channels, oc: width)
            input = UnsafePointer(gcnOut[l].baseAddress!)
            channels = width
        }
        Linear.forward(out: embed.baseAddress!, inp: input, weight: at(params, "embed.weight"), bias: at(params, "embed.bias"),
                       n: frames, c: v * channels, oc: c.embed)
        ReLU.forward(out: embed.baseAddress!, inp: embed.baseAddress!, count: embed.count)
        var sequence = embed, width = c.embed
        for layer in 0..<c.lstmLayers {
            for (d, suffix) in ["", "_reverse"].enumerated() {
                LSTMDirection.forward(cache: &caches[layer][d], x: sequence.baseAddress!, wih: at(params, "lstm.weight_ih_l\(layer)\(suffix)"),
                                      whh: at(params, "lstm.weight_hh_l\(layer)\(suffix)"), bias: at(params, "lstm.bias_l\(layer)\(suffix)"),
                                      b: b, t: t, i: width, h: c.hidden, reverse: d == 1)
            }
            // Concatenate the directions: out[b, t] = [forward h | reverse h].
            for row in 0..<frames {
                for d in 0..<2 {
                    for j in 0..<c.hidden { layerOut[layer][row * 2 * c.hidden + d * c.hidden + j] = caches[layer][d].h[row * c.hidden + j] }
                }
            }
            sequence = layerOut[layer]
            width = 2 * c.hidden
        }
        // Mean over time.
        let z = 2 * c.hidden
        for s in 0..<b {
            for j in 0..<z {
                var total: T = 0
                for step in 0..<t { total += sequence[(s * t + step) * z + j] }
                pooled[s * z + j] = total / T(t)
            }
        }
        var column = 0
        for (head, outputs) in Self.heads {
            let n = outputs < 0 ? c.classes : outputs
            var out = [T](repeating: 0, count: b * n)
            Linear.forward(out: &out, inp: pooled.baseAddress!, weight: at(params, "\(head).weight"), bias: at(params, "\(head).bias"), n: b, c: z, oc: n)
            for s in 0..<b { for j in 0..<n { predictions[s * headWidth + column + j] = out[s * n + j] } }
            column += n
        }
    }

    /// Adds every parameter's gradient (and `dx` [B, T, V, C] when given) for `dpred` [B, 8 + K].
    public func backward(params: UnsafePointer<T>, grads: UnsafeMutablePointer<T>, x: UnsafePointer<T>,
                         dpred: UnsafePointer<T>, dx: UnsafeMutablePointer<T>?) {
        let c = config, frames = b * t, v = c.landmarks, z = 2 * c.hidden
        var dpooled = [T](repeating: 0, count: b * z)
        var column = 0
        for (head, outputs) in Self.heads {
            let n = outputs < 0 ? c.classes : outputs
            var dout = [T](repeating: 0, count: b * n)
            for s in 0..<b { for j in 0..<n { dout[s * n + j] = dpred[s * headWidth + column + j] } }
            Linear.backward(dinp: &dpooled, dweight: at(grads, "\(head).weight"), dbias: at(grads, "\(head).bias"),
                            dout: dout, inp: pooled.baseAddress!, weight: at(params, "\(head).weight"), n: b, c: z, oc: n)
            column += n
        }
        // Mean over time: every step gets 1/T of the pooled gradient.
        var dsequence = [T](repeating: 0, count: frames * z)
        for s in 0..<b { for step in 0..<t { for j in 0..<z { dsequence[(s * t + step) * z + j] = dpooled[s * z + j] / T(t) } } }
        for layer in (0..<c.lstmLayers).reversed() {
            let inputWidth = layer == 0 ? c.embed : z
            let input = layer == 0 ? embed : layerOut[layer - 1]
            var dinput = [T](repeating: 0, count: frames * inputWidth)
            var dgates = [T](repeating: 0, count: frames * 4 * c.hidden)
            for (d, suffix) in ["", "_reverse"].enumerated() {
                var dh = [T](repeating: 0, count: frames * c.hidden)
                for row in 0..<frames { for j in 0..<c.hidden { dh[row * c.hidden + j] = dsequence[row * z + d * c.hidden + j] } }
                LSTMDirection.backward(dx: &dinput, dwih: at(grads, "lstm.weight_ih_l\(layer)\(suffix)"),
                                       dwhh: at(grads, "lstm.weight_hh_l\(layer)\(suffix)"), dbias: at(grads, "lstm.bias_l\(layer)\(suffix)"),
                                       dh: dh, dgates: &dgates, cache: caches[layer][d], x: input.baseAddress!,
                                       wih: at(params, "lstm.weight_ih_l\(layer)\(suffix)"), whh: at(params, "lstm.weight_hh_l\(layer)\(suffix)"),
                                       b: b, t: t, i: inputWidth, h: c.hidden, reverse: d == 1)
            }
            dsequence = dinput
        }
        // Embedding: through the ReLU, then the linear layer back to the last graph layer.
        let last = c.gcnWidths.count - 1
        var dgraph = [T](repeating: 0, count: frames * v * c.gcnWidths[last])
        var dembed = [T](repeating: 0, count: frames * c.embed)
        ReLU.backward(dinp: &dembed, dout: dsequence, out: embed.baseAddress!, count: embed.count)
        Linear.backward(dinp: &dgraph, dweight: at(grads, "embed.weight"), dbias: at(grads, "embed.bias"), dout: dembed,
                        inp: gcnOut[last].baseAddress!, weight: at(params, "embed.weight"), n: frames, c: v * c.gcnWidths[last], oc: c.embed)
        for l in (0..<c.gcnWidths.count).reversed() {
            let channels = l == 0 ? c.inputChannels : c.gcnWidths[l - 1]
            var dxw = [T](repeating: 0, count: frames * v * c.gcnWidths[l])
            let input: UnsafePointer<T> = l == 0 ? x : UnsafePointer(gcnOut[l - 1].baseAddress!)
            if l == 0 {
                GraphConv.backward(dinp: dx, dweight: at(grads, "gcn.0.weight"), dbias: at(grads, "gcn.0.bias"), dout: &dgraph,
                                   dxw: &dxw, out: gcnOut[0].baseAddress!, inp: input, weight: at(params, "gcn.0.weight"),
                                   adjacency: adjacency, f: frames, v: v, c: channels, oc: c.gcnWidths[0])
            } else {
                var dinput = [T](repeating: 0, count: frames * v * channels)
                GraphConv.backward(dinp: &dinput, dweight: at(grads, "gcn.\(l).weight"), dbias: at(grads, "gcn.\(l).bias"),
                                   dout: &dgraph, dxw: &dxw, out: gcnOut[l].baseAddress!, inp: input, weight: at(params, "gcn.\(l).weight"),
                                   adjacency: adjacency, f: frames, v: v, c: channels, oc: c.gcnWidths[l])
                dgraph = dinput
            }
        }
    }
}
