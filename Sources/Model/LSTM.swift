// One direction of an LSTM layer over a whole sequence, forward and backward side by side.
// Shape key: T time, B batch, I input channels, H hidden units; gates in the order i, f, g, o.
// Rows are time-major (row = t * B + b), so one time step is B contiguous rows: x [T*B, I],
// gates [T*B, 4H], c [T*B, H]. The output h goes into a buffer that holds both directions side by
// side, with row stride `ldo` ([T*B, 2H], this direction's columns).
// Weights are PyTorch's: w_ih [4H, I], w_hh [4H, H]; one bias [4H] per gate.

/// What one direction keeps between its forward and backward pass, and its scratch (allocated once).
/// Built with `backward: false` (inference), the backward buffers `dgates`, `dhCarry` and `dcCarry` are empty.
public final class LSTMState<T: BLASScalar> {
    public let b: Int, t: Int, h: Int
    /// Whether the backward buffers exist.
    public let hasBackward: Bool
    /// Elements allocated for the forward pass and for the backward pass.
    public let forwardElements: Int, backwardElements: Int
    /// Gate activations after their nonlinearity (sigmoid for i, f, o; tanh for g), [T*B, 4H].
    let gates: UnsafeMutablePointer<T>
    /// Cell state and its tanh, [T*B, H].
    let c: UnsafeMutablePointer<T>, tanhC: UnsafeMutablePointer<T>
    /// Gradients of the gate pre-activations, [T*B, 4H]: backward's result, read for the input's gradient.
    public let dgates: UnsafeMutablePointer<T>
    /// w_hh transposed to [H, 4H]: the per-step GEMM is faster without a transposed operand.
    let whhT: UnsafeMutablePointer<T>
    /// The w_hh that `whhT` holds, for a forward-only state: inference's parameters never change,
    /// so a batch-1 forward pass skips the transposition after the first call (20% of its time).
    var transposedFrom: UnsafePointer<T>?
    /// One step's recurrent term h[before] · w_hh^T, transposed: [4H, B].
    let recurrent: UnsafeMutablePointer<T>
    /// Gradients carried to the previous step: dh transposed [H, B], dc [B, H]; and H zeros, the cell state before the first step.
    let dhCarry: UnsafeMutablePointer<T>, dcCarry: UnsafeMutablePointer<T>, zeros: UnsafeMutablePointer<T>
    private let storage: UnsafeMutableBufferPointer<T>

    public init(b: Int, t: Int, hidden: Int, backward: Bool = true) {
        self.b = b; self.t = t; h = hidden
        hasBackward = backward
        let rows = b * t, g4 = 4 * hidden, keep = backward ? 1 : 0
        let sizes = [rows * g4, rows * hidden, rows * hidden, keep * rows * g4, hidden * g4, g4 * b, keep * b * hidden, keep * b * hidden, hidden]
        backwardElements = sizes[3] + sizes[6] + sizes[7]
        forwardElements = sizes.reduce(0, +) - backwardElements
        storage = .allocate(capacity: sizes.reduce(0, +))
        storage.initialize(repeating: 0)
        var next = storage.baseAddress!
        func take(_ n: Int) -> UnsafeMutablePointer<T> { defer { next += n }; return next }
        gates = take(sizes[0]); c = take(sizes[1]); tanhC = take(sizes[2]); dgates = take(sizes[3])
        whhT = take(sizes[4]); recurrent = take(sizes[5]); dhCarry = take(sizes[6]); dcCarry = take(sizes[7]); zeros = take(sizes[8])
    }

    deinit { storage.deallocate() }
}

public enum LSTMDirection {
    /// Runs the sequence forward in time (or backward when `reverse`), writing h into `out` [T*B, ldo].
    public static func forward<T: BLASScalar>(state s: LSTMState<T>, x: UnsafePointer<T>, wih: UnsafePointer<T>,
                                              whh: UnsafePointer<T>, bias: UnsafePointer<T>,
                                              out: UnsafeMutablePointer<T>, ldo: Int, i: Int, reverse: Bool) {
        let b = s.b, t = s.t, h = s.h, g4 = 4 * h
        // Input projections of every time step at once: one GEMM of [T*B, I] x [I, 4H].
        Linear.forward(out: s.gates, inp: x, weight: wih, bias: bias, n: t * b, c: i, oc: g4)
        // One sample: a matrix-vector product on w_hh as stored beats the transposed GEMM (no transpose needed).
        if b > 1, s.hasBackward || s.transposedFrom != whh {
            transpose(whh, rows: g4, columns: h, into: s.whhT)
            if !s.hasBackward { s.transposedFrom = whh }
        }
        for step in 0..<t {
            let now = reverse ? t - 1 - step : step, before = reverse ? now + 1 : now - 1
            if step > 0, b == 1 {
                T.gemv(trans: false, m: g4, n: h, alpha: 1, a: whh, lda: h, x: out + before * ldo, beta: 0, y: s.recurrent)
            } else if step > 0 {
                // recurrent [4H, B] = w_hh · h[before]^T, the whole batch at once (see `smallProducts`).
                smallProducts(m: g4, n: b, k: h) { m0, rows in
                    T.gemm(transA: true, transB: true, m: rows, n: b, k: h, alpha: 1, a: s.whhT + m0, lda: g4,
                           b: out + before * b * ldo, ldb: ldo, beta: 0, c: s.recurrent + m0 * b, ldc: b)
                }
            }
            for row in 0..<b {
                let gate = s.gates + (now * b + row) * g4
                if step > 0 { for j in 0..<g4 { gate[j] += s.recurrent[j * b + row] } }
                T.sigmoid(gate, count: 2 * h)
                T.hyperbolicTangent(gate + 2 * h, count: h)
                T.sigmoid(gate + 3 * h, count: h)
                let cNow = s.c + (now * b + row) * h, tanhC = s.tanhC + (now * b + row) * h
                let cBefore = step > 0 ? s.c + (before * b + row) * h : s.zeros
                for j in 0..<h {
                    cNow[j] = gate[h + j] * cBefore[j] + gate[j] * gate[2 * h + j]
                    tanhC[j] = cNow[j]
                }
                T.hyperbolicTangent(tanhC, count: h)
                let hNow = out + (now * b + row) * ldo
                for j in 0..<h { hNow[j] = gate[3 * h + j] * tanhC[j] }
            }
        }
    }

    /// Adds the gradients of w_ih, w_hh and the bias for upstream `dout` [T*B, lddo] (this direction's
    /// columns), and leaves the gates' gradients in `state.dgates` for `addInputGradient`.
    public static func backward<T: BLASScalar>(state s: LSTMState<T>, dout: UnsafePointer<T>, lddo: Int,
                                               x: UnsafePointer<T>, out: UnsafePointer<T>, ldo: Int,
                                               wih: UnsafePointer<T>, whh: UnsafePointer<T>, dwih: UnsafeMutablePointer<T>,
                                               dwhh: UnsafeMutablePointer<T>, dbias: UnsafeMutablePointer<T>, i: Int, reverse: Bool) {
        precondition(s.hasBackward, "LSTMState built without backward buffers (inference)")
        let b = s.b, t = s.t, h = s.h, g4 = 4 * h
        s.dhCarry.update(repeating: 0, count: h * b)
        s.dcCarry.update(repeating: 0, count: b * h)
        for step in (0..<t).reversed() {
            let now = reverse ? t - 1 - step : step, before = reverse ? now + 1 : now - 1
            for row in 0..<b {
                let at = now * b + row
                let gate = s.gates + at * g4, dgate = s.dgates + at * g4, tanhC = s.tanhC + at * h, up = dout + at * lddo
                let dcCarry = s.dcCarry + row * h
                let cBefore = step > 0 ? s.c + (before * b + row) * h : s.zeros
                for j in 0..<h {
                    let ig = gate[j], fg = gate[h + j], gg = gate[2 * h + j], og = gate[3 * h + j], tc = tanhC[j]
                    let dh = up[j] + s.dhCarry[j * b + row]
                    let dc = dcCarry[j] + dh * og * (1 - tc * tc)
                    dgate[j] = dc * gg * ig * (1 - ig)
                    dgate[h + j] = dc * cBefore[j] * fg * (1 - fg)
                    dgate[2 * h + j] = dc * ig * (1 - gg * gg)
                    dgate[3 * h + j] = dh * tc * og * (1 - og)
                    dcCarry[j] = dc * fg
                }
            }
            guard step > 0 else { continue }
            // dh[before] transposed [H, B] = w_hh^T · dgates[now]^T, the whole batch at once.
            smallProducts(m: h, n: b, k: g4) { m0, rows in
                T.gemm(transA: true, transB: true, m: rows, n: b, k: g4, alpha: 1, a: whh + m0, lda: h,
                       b: s.dgates + now * b * g4, ldb: g4, beta: 0, c: s.dhCarry + m0 * b, ldc: b)
            }
        }
        // dw_hh [4H, H] += Σ_steps dgates[now]^T · h[before]: one GEMM over every step that has a predecessor.
        // Forward in time those are steps 1..T-1 (predecessors 0..T-2); in reverse, steps 0..T-2 (predecessors 1..T-1).
        if t > 1 {
            let gatesFrom = reverse ? 0 : b, hFrom = reverse ? b : 0
            T.gemm(transA: true, transB: false, m: g4, n: h, k: (t - 1) * b, alpha: 1, a: s.dgates + gatesFrom * g4, lda: g4,
                   b: out + hFrom * ldo, ldb: ldo, beta: 1, c: dwhh, ldc: h)
        }
        // The input side of every step at once, as in the forward pass.
        Linear.backward(dinp: nil, dweight: dwih, dbias: dbias, dout: s.dgates, inp: x, weight: wih, n: t * b, c: i, oc: g4)
    }

    /// `out[columns, rows]` = `m[rows, columns]` transposed, in 8 x 8 tiles. Element by element, the
    /// stores 4H = 1024 floats apart all fall into one cache set and took half of a batch-1 forward
    /// pass; 8 lines fit the L1's 8 ways (32 x 32 tiles were hardly faster than none).
    static func transpose<T>(_ m: UnsafePointer<T>, rows: Int, columns: Int, into out: UnsafeMutablePointer<T>) {
        let tile = 8
        for r0 in stride(from: 0, to: rows, by: tile) {
            for c0 in stride(from: 0, to: columns, by: tile) {
                for r in r0..<min(r0 + tile, rows) {
                    for c in c0..<min(c0 + tile, columns) { out[c * rows + r] = m[r * columns + c] }
                }
            }
        }
    }

    /// Splits an `[m, n] x [n, k]` product into row blocks of at most 10^6 multiply-adds each.
    ///
    /// The per-step products are small (n = B) and repeated T times. A single call makes OpenBLAS
    /// pack the whole weight matrix each step; below 100^3 its SkylakeX kernels skip packing, and
    /// the split calls measured 25-40% faster (`docs/MODEL.md`). Elsewhere it costs a few calls.
    @inline(__always) static func smallProducts(m: Int, n: Int, k: Int, _ body: (_ first: Int, _ rows: Int) -> Void) {
        var block = 16
        while block * 2 * n * k <= 1_000_000 && block * 2 <= m { block *= 2 }
        for first in stride(from: 0, to: m, by: block) { body(first, min(block, m - first)) }
    }

    /// `dx[rows] (+)= dgates[rows] · w_ih` after `backward`: the gradient of the layer's input, for a range of rows.
    public static func addInputGradient<T: BLASScalar>(dx: UnsafeMutablePointer<T>, state s: LSTMState<T>, wih: UnsafePointer<T>,
                                                       rows: Range<Int>, i: Int, accumulate: Bool) {
        let g4 = 4 * s.h
        T.gemm(transA: false, transB: false, m: rows.count, n: i, k: g4, alpha: 1, a: s.dgates + rows.lowerBound * g4, lda: g4,
               b: wih, ldb: i, beta: accumulate ? 1 : 0, c: dx + rows.lowerBound * i, ldc: i)
    }
}
