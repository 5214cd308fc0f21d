// Graph convolution over the skeleton, per frame: H' = ReLU(Â · H · W^T + b).
// Shape key: F frames (B*T, all processed together), V landmarks, C input channels, OC output
// channels. Â is [V, V], D^-1/2 (A + I) D^-1/2 over the 39-edge skeleton graph (symmetric).

/// Forward and backward of one graph-convolution layer with its ReLU.
public enum GraphConv {
    /// `out[F, V, OC] = ReLU(Â · (inp[F, V, C] · weight[OC, C]^T) + bias[OC])`; `xw` is scratch [F, V, OC].
    public static func forward<T: BLASScalar>(out: UnsafeMutablePointer<T>, xw: UnsafeMutablePointer<T>, inp: UnsafePointer<T>,
                                              weight: UnsafePointer<T>, bias: UnsafePointer<T>, adjacency: UnsafePointer<T>,
                                              f: Int, v: Int, c: Int, oc: Int) {
        // All F*V nodes through the weight at once: one large GEMM.
        Linear.forward(out: xw, inp: inp, weight: weight, bias: nil, n: f * v, c: c, oc: oc)
        // Mix neighbours per frame: [V, V] x [V, OC].
        for frame in 0..<f {
            T.gemm(transA: false, transB: false, m: v, n: oc, k: v, alpha: 1, a: adjacency, lda: v,
                   b: xw + frame * v * oc, ldb: oc, beta: 0, c: out + frame * v * oc, ldc: oc)
        }
        for node in 0..<f * v {
            let o = out + node * oc
            for j in 0..<oc { o[j] = max(0, o[j] + bias[j]) }
        }
    }

    /// Adds the gradients of `weight`, `bias` and (when given) `inp`; `dxw` is scratch [F, V, OC], and `dout` is overwritten.
    public static func backward<T: BLASScalar>(dinp: UnsafeMutablePointer<T>?, dweight: UnsafeMutablePointer<T>,
                                               dbias: UnsafeMutablePointer<T>, dout: UnsafeMutablePointer<T>,
                                               dxw: UnsafeMutablePointer<T>, out: UnsafePointer<T>, inp: UnsafePointer<T>,
                                               weight: UnsafePointer<T>, adjacency: UnsafePointer<T>,
                                               f: Int, v: Int, c: Int, oc: Int) {
        // Through the ReLU, in place: dpre = dout where out > 0.
        ReLU.backward(d: dout, out: out, count: f * v * oc)
        for node in 0..<f * v {
            let d = dout + node * oc
            for j in 0..<oc { dbias[j] += d[j] }
        }
        // Back through the mixing: dxw[frame] = Â^T · dpre[frame].
        for frame in 0..<f {
            T.gemm(transA: true, transB: false, m: v, n: oc, k: v, alpha: 1, a: adjacency, lda: v,
                   b: dout + frame * v * oc, ldb: oc, beta: 0, c: dxw + frame * v * oc, ldc: oc)
        }
        Linear.backward(dinp: dinp, dweight: dweight, dbias: nil, dout: dxw, inp: inp, weight: weight, n: f * v, c: c, oc: oc)
    }
}
