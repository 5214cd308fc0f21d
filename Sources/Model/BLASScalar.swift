import COpenBLAS

/// A floating-point type the model runs in: Float for training, Double for gradient checks.
///
/// Each conformance dispatches to the matching CBLAS routine, so every layer is written once.
public protocol BLASScalar: BinaryFloatingPoint, Sendable {
    /// Row-major `C = alpha * op(A) * op(B) + beta * C`, with `op` transposing when the flag is set.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Row-major `y = alpha * op(A) * x + beta * y` for an `[m, n]` A, contiguous x and y.
    static func gemv(trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    /// The logistic function, in place over `count` contiguous values.
    static func sigmoid(_ values: UnsafeMutablePointer<Self>, count: Int)
    /// tanh, in place over `count` contiguous values.
    static func hyperbolicTangent(_ values: UnsafeMutablePointer<Self>, count: Int)
}

extension Float: BLASScalar {
    public static func sigmoid(_ values: UnsafeMutablePointer<Float>, count: Int) { VectorMath.sigmoid(values, count: count) }
    public static func hyperbolicTangent(_ values: UnsafeMutablePointer<Float>, count: Int) { VectorMath.tanh(values, count: count) }

    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func gemv(trans: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                            x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}

extension Double: BLASScalar {
    // Double serves the gradient checks: libm's routines, accurate to the last bit that matters there.
    public static func sigmoid(_ values: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { values[i] = 1 / (1 + exp(-values[i])) }
    }
    public static func hyperbolicTangent(_ values: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { values[i] = tanh(values[i]) }
    }

    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func gemv(trans: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                            x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>) {
        cblas_dgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
