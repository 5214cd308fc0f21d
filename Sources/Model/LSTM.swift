// One direction of an LSTM layer over a whole sequence, forward and backward side by side.
// Shape key: B batch, T time, I input channels, H hidden units; gates in the order i, f, g, o.
// Tensors are row-major with batch outermost: x [B, T, I], h and c [B, T, H], gates [B, T, 4H].
// Weights are PyTorch's: w_ih [4H, I], w_hh [4H, H]; one bias [4H] per gate.

/// Where one direction keeps what its backward pass needs.
public struct LSTMCache<T: BLASScalar> {
    /// Gate activations after their nonlinearity (sigmoid for i, f, o; tanh for g), [B, T, 4H].
    public var gates: [T]
    /// Cell state and output, [B, T, H].
    public var c: [T]
    public var h: [T]

    public init(b: Int, t: Int, hidden: Int) {
        gates = Array(repeating: 0, count: b * t * 4 * hidden)
        c = Array(repeating: 0, count: b * t * hidden)
        h = c
    }
}

public enum LSTMDirection {
    /// Runs the sequence forward in time (or backward when `reverse`), filling `cache`; the output is `cache.h`.
    public static func forward<T: BLASScalar>(cache: inout LSTMCache<T>, x: UnsafePointer<T>, wih: UnsafePointer<T>,
                                              whh: UnsafePointer<T>, bias: UnsafePointer<T>,
                                              b: Int, t: Int, i: Int, h: Int, reverse: Bool) {
        let g4 = 4 * h
        cache.gates.withUnsafeMutableBufferPointer { gatesBuffer in
            cache.c.withUnsafeMutableBufferPointer { cBuffer in
                cache.h.withUnsafeMutableBufferPointer { hBuffer in
                    let gates = gatesBuffer.baseAddress!, c = cBuffer.baseAddress!, hs = hBuffer.baseAddress!
                    // Input projections of every time step at once: one GEMM of [B*T, I] x [I, 4H].
                    Linear.forward(out: gates, inp: x, weight: wih, bias: bias, n: b * t, c: i, oc: g4)
                    for step in 0..<t {
                        let now = reverse ? t - 1 - step : step
                        let before = reverse ? now + 1 : now - 1
                        if step > 0 {
                            // gates[:, now] += h[:, before] · w_hh^T, all batch rows in one strided GEMM.
                            T.gemm(transA: false, transB: true, m: b, n: g4, k: h, alpha: 1, a: hs + before * h, lda: t * h,
                                   b: whh, ldb: h, beta: 1, c: gates + now * g4, ldc: t * g4)
                        }
                        for row in 0..<b {
                            let gate = gates + (row * t + now) * g4
                            let cNow = c + (row * t + now) * h, hNow = hs + (row * t + now) * h
                            let cBefore: UnsafeMutablePointer<T>? = step > 0 ? c + (row * t + before) * h : nil
                            for j in 0..<h {
                                let ig = sigmoid(gate[j]), fg = sigmoid(gate[h + j])
                                let gg = tanhOf(gate[2 * h + j]), og = sigmoid(gate[3 * h + j])
                                gate[j] = ig; gate[h + j] = fg; gate[2 * h + j] = gg; gate[3 * h + j] = og
                                let cell = fg * (cBefore?[j] ?? 0) + ig * gg
                                cNow[j] = cell
                                hNow[j] = og * tanhOf(cell)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds the gradients of the weights, the bias and (when given) `x` for upstream `dh` [B, T, H].
    /// `dgates` is scratch [B, T, 4H].
    public static func backward<T: BLASScalar>(dx: UnsafeMutablePointer<T>?, dwih: UnsafeMutablePointer<T>,
                                               dwhh: UnsafeMutablePointer<T>, dbias: UnsafeMutablePointer<T>,
                                               dh: UnsafePointer<T>, dgates: UnsafeMutablePointer<T>, cache: LSTMCache<T>,
                                               x: UnsafePointer<T>, wih: UnsafePointer<T>, whh: UnsafePointer<T>,
                                               b: Int, t: Int, i: Int, h: Int, reverse: Bool) {
        let g4 = 4 * h
        var dhCarry = [T](repeating: 0, count: b * h), dcCarry = dhCarry
        cache.gates.withUnsafeBufferPointer { gatesBuffer in
            cache.c.withUnsafeBufferPointer { cBuffer in
                cache.h.withUnsafeBufferPointer { hBuffer in
                    let gates = gatesBuffer.baseAddress!, c = cBuffer.baseAddress!, hs = hBuffer.baseAddress!
                    for step in (0..<t).reversed() {
                        let now = reverse ? t - 1 - step : step
                        let before = reverse ? now + 1 : now - 1
                        for row in 0..<b {
                            let gate = gates + (row * t + now) * g4, dgate = dgates + (row * t + now) * g4
                            let cNow = c + (row * t + now) * h
                            for j in 0..<h {
                                let ig = gate[j], fg = gate[h + j], gg = gate[2 * h + j], og = gate[3 * h + j]
                                let cBefore = step > 0 ? c[(row * t + before) * h + j] : 0
                                let tanhC = tanhOf(cNow[j])
                                let dhTotal = dh[(row * t + now) * h + j] + dhCarry[row * h + j]
                                let dc = dcCarry[row * h + j] + dhTotal * og * (1 - tanhC * tanhC)
                                dgate[j] = dc * gg * ig * (1 - ig)
                                dgate[h + j] = dc * cBefore * fg * (1 - fg)
                                dgate[2 * h + j] = dc * ig * (1 - gg * gg)
                                dgate[3 * h + j] = dhTotal * tanhC * og * (1 - og)
                                dcCarry[row * h + j] = dc * fg
                            }
                        }
                        guard step > 0 else { continue }
                        dhCarry.withUnsafeMutableBufferPointer { carry in
                            // dh[:, before] from this step: dgates[:, now] · w_hh, all rows at once.
                            T.gemm(transA: false, transB: false, m: b, n: h, k: g4, alpha: 1, a: dgates + now * g4, lda: t * g4,
                                   b: whh, ldb: h, beta: 0, c: carry.baseAddress!, ldc: h)
                        }
                        // dw_hh[4H, H] += dgates[:, now]^T · h[:, before]
                        T.gemm(transA: true, transB: false, m: g4, n: h, k: b, alpha: 1, a: dgates + now * g4, lda: t * g4,
                               b: hs + before * h, ldb: t * h, beta: 1, c: dwhh, ldc: h)
                    }
                }
            }
        }
        // The input side of every step at once, as in the forward pass.
        Linear.backward(dinp: dx, dweight: dwih, dbias: dbias, dout: dgates, inp: x, weight: wih, n: b * t, c: i, oc: g4)
    }

    @inline(__always) static func sigmoid<T: BLASScalar>(_ v: T) -> T { T.sigmoid(v) }
    @inline(__always) static func tanhOf<T: BLASScalar>(_ v: T) -> T { T.hyperbolicTangent(v) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
