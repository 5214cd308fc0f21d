import Biomechanics

// The whole model, forward and backward: graph convolutions per frame, a frame embedding, a
// two-layer bidirectional LSTM, the mean and the maximum over time, and four linear heads.
// Shape key: B batch, T time, V landmarks, C input channels (3), W graph widths, E embedding,
// H hidden per direction, Z = 2H, K classes, F = T*B frames; the heads read [B, 2Z] (mean, max). Head outputs per sample: form,
// 6 angles, K logits, risk. Inside, frames are time-major (row t*B + b) so that one LSTM step is
// B contiguous rows; the input [B, T, V, C] is reordered on the way in (and dx on the way out).
// Parallel phases (see WorkerPool): frame chunks for the graph layers and the embedding, the two
// directions of each LSTM layer, frame chunks again for the LSTM's input gradients.

/// The GNN-LSTM with its activations for one batch size and length, generic over Float and Double.
public final class GNNLSTM<T: BLASScalar> {
    public let config: ModelConfig
    public let table: ParameterTable
    public let b: Int, t: Int
    public let pool: WorkerPool
    let adjacency: [T]
    /// One contiguous frame range per thread.
    let chunks: [Range<Int>]
    /// Parameters before the LSTM (graph layers and embedding): chunks other than the first add
    /// their gradients into scratch copies of this prefix, summed in chunk order afterwards.
    let prefix: Int
    // Activations of the forward pass (kept for the backward pass), allocated once.
    let input: UnsafeMutablePointer<T>
    let gcnOut: [UnsafeMutablePointer<T>], gcnXW: [UnsafeMutablePointer<T>]
    let embed: UnsafeMutablePointer<T>
    let layerOut: [UnsafeMutablePointer<T>]
    let states: [[LSTMState<T>]]
    /// [B, 2Z]: per sample the mean over time, then the maximum.
    let pooled: UnsafeMutablePointer<T>
    /// [B, Z]: the time step of each maximum (the first on ties), for the backward pass.
    let argmax: UnsafeMutablePointer<Int32>
    /// Gradients of the activations and per-chunk gradient scratch; nil for a forward-only model.
    let gradients: Gradients?
    struct Gradients {
        let dinput: UnsafeMutablePointer<T>, dgraph: [UnsafeMutablePointer<T>], dembed: UnsafeMutablePointer<T>
        let dlayerOut: [UnsafeMutablePointer<T>], dpooled: UnsafeMutablePointer<T>, gradScratch: [UnsafeMutablePointer<T>]
    }
    private var owned: [UnsafeMutableBufferPointer<T>] = []
    public private(set) var predictions: [T]
    /// Elements allocated for the forward pass and for the backward pass (LSTM states included;
    /// docs/MODEL.md gives the formulas). A forward-only model has no backward elements.
    public let forwardElements: Int, backwardElements: Int

    public var headWidth: Int { 8 + config.classes }

    /// `threads` sets the pool the model parallelises over. OpenBLAS's own thread count is the
    /// caller's to set (`BLASThreads.set(1)` before training; see docs/MODEL.md).
    public convenience init(config: ModelConfig, batch: Int, time: Int, threads: Int = 1) {
        self.init(config: config, batch: batch, time: time, pool: WorkerPool(size: threads), backward: true)
    }

    /// A model on an existing pool; without `backward` only the forward pass's buffers exist,
    /// `backward(...)` must not be called, and the parameters at a given address must not change
    /// between calls (its LSTM keeps w_hh transposed; `InferenceModel`, which builds these, never changes them).
    public init(config: ModelConfig, batch: Int, time: Int, pool: WorkerPool, backward: Bool) {
        self.config = config
        table = ParameterTable(config)
        b = batch
        t = time
        self.pool = pool
        adjacency = SkeletonGraph.normalizedAdjacency().map { T($0) }
        let f = batch * time, v = config.landmarks, z = 2 * config.hidden
        chunks = pool.ranges(f)
        prefix = table["lstm.weight_ih_l0"].offset
        var owned: [UnsafeMutableBufferPointer<T>] = []
        var elements = 0
        func buffer(_ count: Int) -> UnsafeMutablePointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
            b.initialize(repeating: 0)
            owned.append(b)
            elements += count
            return b.baseAddress!
        }
        input = buffer(f * v * config.inputChannels)
        gcnOut = config.gcnWidths.map { buffer(f * v * $0) }
        gcnXW = config.gcnWidths.map { buffer(f * v * $0) }
        embed = buffer(f * config.embed)
        layerOut = (0..<config.lstmLayers).map { _ in buffer(f * z) }
        states = (0..<config.lstmLayers).map { _ in (0..<2).map { _ in LSTMState<T>(b: batch, t: time, hidden: config.hidden, backward: backward) } }
        pooled = buffer(batch * 2 * z)
        argmax = .allocate(capacity: batch * z)
        argmax.initialize(repeating: 0, count: batch * z)
        let forward = elements
        elements = 0
        if backward {
            let prefix = prefix
            gradients = Gradients(dinput: buffer(f * v * config.inputChannels), dgraph: config.gcnWidths.map { buffer(f * v * $0) },
                                  dembed: buffer(f * config.embed), dlayerOut: (0..<config.lstmLayers).map { _ in buffer(f * z) },
                                  dpooled: buffer(batch * 2 * z), gradScratch: chunks.dropFirst().map { _ in buffer(prefix) })
        } else {
            gradients = nil
        }
        let lstm = states.joined()
        forwardElements = forward + lstm.map(\.forwardElements).reduce(0, +)
        backwardElements = elements + lstm.map(\.backwardElements).reduce(0, +)
        self.owned = owned
        predictions = [T](repeating: 0, count: batch * (8 + config.classes))
    }

    deinit {
        owned.forEach { $0.deallocate() }
        argmax.deallocate()
    }

    func at(_ p: UnsafePointer<T>, _ name: String) -> UnsafePointer<T> { p + table[name].offset }
    func at(_ p: UnsafeMutablePointer<T>, _ name: String) -> UnsafeMutablePointer<T> { p + table[name].offset }
    func lstm(_ name: String, _ layer: Int, _ direction: Int) -> String { "lstm.\(name)_l\(layer)\(direction == 1 ? "_reverse" : "")" }
    func lstmInputWidth(_ layer: Int) -> Int { layer == 0 ? config.embed : 2 * config.hidden }
    func lstmInput(_ layer: Int) -> UnsafeMutablePointer<T> { layer == 0 ? embed : layerOut[layer - 1] }

    static var heads: [(String, Int)] { [("form", 1), ("angles", 6), ("exercise", -1), ("risk", 1)] }

    /// Runs `x` [B, T, V, C] through the model; the outputs are in `predictions` [B, 8 + K].
    public func forward(params: UnsafePointer<T>, x: UnsafePointer<T>) {
        let c = config, v = c.landmarks, z = 2 * c.hidden, node = v * c.inputChannels
        for s in 0..<b { for step in 0..<t { (input + (step * b + s) * node).update(from: x + (s * t + step) * node, count: node) } }
        pool.run(tasks: chunks.count) { p in
            let rows = chunks[p], n = rows.count
            var inp = UnsafePointer(input + rows.lowerBound * node), channels = c.inputChannels
            for (l, width) in c.gcnWidths.enumerated() {
                let start = rows.lowerBound * v * width
                GraphConv.forward(out: gcnOut[l] + start, xw: gcnXW[l] + start, inp: inp, weight: at(params, "gcn.\(l).weight"),
                                  bias: at(params, "gcn.\(l).bias"), adjacency: adjacency, f: n, v: v, c: channels, oc: width)
                inp = UnsafePointer(gcnOut[l] + start)
                channels = width
            }
            let out = embed + rows.lowerBound * c.embed
            Linear.forward(out: out, inp: inp, weight: at(params, "embed.weight"), bias: at(params, "embed.bias"), n: n, c: v * channels, oc: c.embed)
            ReLU.forward(out: out, inp: out, count: n * c.embed)
        }
        for layer in 0..<c.lstmLayers {
            pool.run(tasks: 2) { d in
                LSTMDirection.forward(state: states[layer][d], x: lstmInput(layer), wih: at(params, lstm("weight_ih", layer, d)),
                                      whh: at(params, lstm("weight_hh", layer, d)), bias: at(params, lstm("bias", layer, d)),
                                      out: layerOut[layer] + d * c.hidden, ldo: z, i: lstmInputWidth(layer), reverse: d == 1)
            }
        }
        // Mean and maximum over time: the maximum keeps a window's extremes (the deepest point of a
        // rep), which a mean alone dilutes over the window.
        let last = layerOut[c.lstmLayers - 1]
        for s in 0..<b {
            for j in 0..<z {
                pooled[s * 2 * z + j] = last[s * z + j]
                pooled[s * 2 * z + z + j] = last[s * z + j]
                argmax[s * z + j] = 0
            }
        }
        for step in 1..<max(1, t) {
            for s in 0..<b {
                for j in 0..<z {
                    let value = last[(step * b + s) * z + j]
                    pooled[s * 2 * z + j] += value
                    if value > pooled[s * 2 * z + z + j] { pooled[s * 2 * z + z + j] = value; argmax[s * z + j] = Int32(step) }
                }
            }
        }
        for s in 0..<b { for j in 0..<z { pooled[s * 2 * z + j] /= T(t) } }
        var column = 0
        for (head, outputs) in Self.heads {
            let n = outputs < 0 ? c.classes : outputs
            var out = [T](repeating: 0, count: b * n)
            Linear.forward(out: &out, inp: pooled, weight: at(params, "\(head).weight"), bias: at(params, "\(head).bias"), n: b, c: 2 * z, oc: n)
            for s in 0..<b { for j in 0..<n { predictions[s * headWidth + column + j] = out[s * n + j] } }
            column += n
        }
    }

    /// Adds every parameter's gradient (and `dx` [B, T, V, C] when given) for `dpred` [B, 8 + K].
    public func backward(params: UnsafePointer<T>, grads: UnsafeMutablePointer<T>, x: UnsafePointer<T>,
                         dpred: UnsafePointer<T>, dx: UnsafeMutablePointer<T>?) {
        guard let g = gradients else { preconditionFailure("GNNLSTM built without backward buffers (inference)") }
        let (dinput, dgraph, dembed, dlayerOut, dpooled, gradScratch) = (g.dinput, g.dgraph, g.dembed, g.dlayerOut, g.dpooled, g.gradScratch)
        let c = config, v = c.landmarks, z = 2 * c.hidden, top = c.lstmLayers - 1
        dpooled.update(repeating: 0, count: b * 2 * z)
        var column = 0
        for (head, outputs) in Self.heads {
            let n = outputs < 0 ? c.classes : outputs
            var dout = [T](repeating: 0, count: b * n)
            for s in 0..<b { for j in 0..<n { dout[s * n + j] = dpred[s * headWidth + column + j] } }
            Linear.backward(dinp: dpooled, dweight: at(grads, "\(head).weight"), dbias: at(grads, "\(head).bias"),
                            dout: dout, inp: pooled, weight: at(params, "\(head).weight"), n: b, c: 2 * z, oc: n)
            column += n
        }
        // Mean over time: every step gets 1/T of its gradient; maximum: the step that was largest gets all of its.
        for step in 0..<t {
            for s in 0..<b {
                for j in 0..<z {
                    let fromMax = argmax[s * z + j] == Int32(step) ? dpooled[s * 2 * z + z + j] : 0
                    dlayerOut[top][(step * b + s) * z + j] = dpooled[s * 2 * z + j] / T(t) + fromMax
                }
            }
        }
        for layer in (0..<c.lstmLayers).reversed() {
            pool.run(tasks: 2) { d in
                LSTMDirection.backward(state: states[layer][d], dout: dlayerOut[layer] + d * c.hidden, lddo: z, x: lstmInput(layer),
                                       out: layerOut[layer] + d * c.hidden, ldo: z, wih: at(params, lstm("weight_ih", layer, d)),
                                       whh: at(params, lstm("weight_hh", layer, d)), dwih: at(grads, lstm("weight_ih", layer, d)),
                                       dwhh: at(grads, lstm("weight_hh", layer, d)), dbias: at(grads, lstm("bias", layer, d)),
                                       i: lstmInputWidth(layer), reverse: d == 1)
            }
            guard layer > 0 else { break }
            pool.run(tasks: chunks.count) { p in addLSTMInputGradient(layer, rows: chunks[p], params: params, into: dlayerOut[layer - 1]) }
        }
        // The LSTM's input gradient, then back through the embedding and the graph layers, per frame chunk.
        pool.run(tasks: chunks.count) { p in
            let rows = chunks[p], n = rows.count
            let g = p == 0 ? grads : gradScratch[p - 1]
            if p > 0 { g.update(repeating: 0, count: prefix) }
            addLSTMInputGradient(0, rows: rows, params: params, into: dembed)
            let last = c.gcnWidths.count - 1, width = c.gcnWidths[last]
            let de = dembed + rows.lowerBound * c.embed
            ReLU.backward(d: de, out: embed + rows.lowerBound * c.embed, count: n * c.embed)
            dgraph[last].advanced(by: rows.lowerBound * v * width).update(repeating: 0, count: n * v * width)
            Linear.backward(dinp: dgraph[last] + rows.lowerBound * v * width, dweight: at(g, "embed.weight"), dbias: at(g, "embed.bias"),
                            dout: de, inp: gcnOut[last] + rows.lowerBound * v * width, weight: at(params, "embed.weight"),
                            n: n, c: v * width, oc: c.embed)
            for l in (0..<c.gcnWidths.count).reversed() {
                let channels = l == 0 ? c.inputChannels : c.gcnWidths[l - 1]
                let dinp: UnsafeMutablePointer<T>? = l > 0 ? dgraph[l - 1] + rows.lowerBound * v * channels
                    : (dx == nil ? nil : dinput + rows.lowerBound * v * channels)
                dinp?.update(repeating: 0, count: n * v * channels)
                let inp = l == 0 ? input : gcnOut[l - 1]
                let start = rows.lowerBound * v * c.gcnWidths[l]
                GraphConv.backward(dinp: dinp, dweight: at(g, "gcn.\(l).weight"), dbias: at(g, "gcn.\(l).bias"), dout: dgraph[l] + start,
                                   dxw: gcnXW[l] + start, out: gcnOut[l] + start, inp: inp + rows.lowerBound * v * channels,
                                   weight: at(params, "gcn.\(l).weight"), adjacency: adjacency, f: n, v: v, c: channels, oc: c.gcnWidths[l])
            }
        }
        // The chunks' graph and embedding gradients, summed in chunk order (the same order every run).
        if !gradScratch.isEmpty {
            pool.run(tasks: pool.size) { p in
                for k in pool.ranges(prefix)[p] { for scratch in gradScratch { grads[k] += scratch[k] } }
            }
        }
        if let dx {
            let node = v * c.inputChannels
            for s in 0..<b {
                for step in 0..<t {
                    let from = dinput + (step * b + s) * node, to = dx + (s * t + step) * node
                    for k in 0..<node { to[k] += from[k] }
                }
            }
        }
    }

    /// `into[rows] = Σ_directions dgates[rows] · w_ih`: the gradient of LSTM layer `layer`'s input.
    private func addLSTMInputGradient(_ layer: Int, rows: Range<Int>, params: UnsafePointer<T>, into: UnsafeMutablePointer<T>) {
        for d in 0..<2 {
            LSTMDirection.addInputGradient(dx: into, state: states[layer][d], wih: at(params, lstm("weight_ih", layer, d)),
                                           rows: rows, i: lstmInputWidth(layer), accumulate: d == 1)
        }
    }
}
