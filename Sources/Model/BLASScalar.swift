import COpenBLAS

/// A floating-point type the model runs in: Float for training, Double for gradient checks.
///
/// Each conformance dispatches to the matching CBLAS routine, so every layer is written once.
public protocol BLASScalar: BinaryFloatingPoint, Sendable {
    /// Row-major `C = alpha * op(A) * op(B) + beta * C`, with `op` transposing when the flag is set.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// The logistic function and tanh in this type's own precision (libm's float or double routine).
    static func sigmoid(_ v: Self) -> Self
    static func hyperbolicTangent(_ v: Self) -> Self
}

extension Float: BLASScalar {
    @inline(__always) public static func sigmoid(_ v: Float) -> Float { 1 / (1 + expf(-v)) }
    @inline(__always) public static func hyperbolicTangent(_ v: Float) -> Float { tanhf(v) }

    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Double: BLASScalar {
    @inline(__always) public static func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
    @inline(__always) public static func hyperbolicTangent(_ v: Double) -> Double { tanh(v) }

    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
