// Linear layer and ReLU, forward and backward side by side (llm.c style).
// Shape key: N rows (B*T frames or B*T*V nodes), C input channels, OC output channels.
// Weights are [OC, C] (PyTorch's layout); backward passes accumulate (+=) into gradients.

/// `out[N, OC] = inp[N, C] · weight[OC, C]^T + bias[OC]`.
public enum Linear {
    public static func forward<T: BLASScalar>(out: UnsafeMutablePointer<T>, inp: UnsafePointer<T>, weight: UnsafePointer<T>,
                                              bias: UnsafePointer<T>?, n: Int, c: Int, oc: Int) {
        T.gemm(transA: false, transB: true, m: n, n: oc, k: c, alpha: 1, a: inp, lda: c, b: weight, ldb: c, beta: 0, c: out, ldc: oc)
        guard let bias else { return }
        for row in 0..<n {
            let o = out + row * oc
            for j in 0..<oc { o[j] += bias[j] }
        }
    }

    /// Adds the gradients of `weight`, `bias` and (when given) `inp` for upstream gradient `dout[N, OC]`.
    public static func backward<T: BLASScalar>(dinp: UnsafeMutablePointer<T>?, dweight: UnsafeMutablePointer<T>,
                                               dbias: UnsafeMutablePointer<T>?, dout: UnsafePointer<T>, inp: UnsafePointer<T>,
                                               weight: UnsafePointer<T>, n: Int, c: Int, oc: Int) {
        if let dinp {
            // dinp[N, C] += dout[N, OC] · weight[OC, C]
            T.gemm(transA: false, transB: false, m: n, n: c, k: oc, alpha: 1, a: dout, lda: oc, b: weight, ldb: c, beta: 1, c: dinp, ldc: c)
        }
        // dweight[OC, C] += dout^T[OC, N] · inp[N, C]
        T.gemm(transA: true, transB: false, m: oc, n: c, k: n, alpha: 1, a: dout, lda: oc, b: inp, ldb: c, beta: 1, c: dweight, ldc: c)
        guard let dbias else { return }
        for row in 0..<n {
            let d = dout + row * oc
            for j in 0..<oc { dbias[j] += d[j] }
        }
    }
}

/// `out = max(0, inp)`, elementwise; `out` may be `inp`.
public enum ReLU {
    public static func forward<T: BLASScalar>(out: UnsafeMutablePointer<T>, inp: UnsafePointer<T>, count: Int) {
        for i in 0..<count { out[i] = max(0, inp[i]) }
    }

    /// Turns the output's gradient `d` into the input's, in place: zero where the output was not
    /// positive (the gradient at 0 is taken as 0).
    public static func backward<T: BLASScalar>(d: UnsafeMutablePointer<T>, out: UnsafePointer<T>, count: Int) {
        for i in 0..<count where out[i] <= 0 { d[i] = 0 }
    }
}
