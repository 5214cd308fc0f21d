import BiomechCore
import CBLASCheck

/// Proves the loaded OpenBLAS kernels compute right here: the model's products against double precision.
///
/// Shape key: `B` batch (16), `T` time steps (6 here; the model's 60 only scales `T*B`), `H`
/// hidden units (256), `I` LSTM input width (2H), `V` landmarks (33), `C` graph channels (64).
/// Each product runs through `Kernels` (OpenBLAS's by default, a corrupted one in the tests);
/// every checked entry must lie within the worst-case float error of its dot product,
/// `(k + 2) * u * (|alpha| * sum|a||b| + |beta * c0|)` with `u = 2^-24`, which no correct
/// summation order exceeds. Wrong kernels miss by the size of the values themselves.
public enum BLASSelfCheck {
    /// The products under test: row-major GEMM and GEMV with CBLAS's arguments.
    public struct Kernels: Sendable {
        public typealias GEMM = @Sendable (_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                                           _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                           _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) -> Void
        public typealias GEMV = @Sendable (_ m: Int, _ n: Int, _ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                           _ y: UnsafeMutablePointer<Float>) -> Void
        public var gemm: GEMM
        public var gemv: GEMV
        public init(gemm: @escaping GEMM, gemv: @escaping GEMV) { self.gemm = gemm; self.gemv = gemv }

        /// The model's own path: `BLASScalar` on Float, i.e. cblas_sgemm and cblas_sgemv.
        public static let openBLAS = Kernels(
            gemm: { Float.gemm(transA: $0, transB: $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7, b: $8, ldb: $9, beta: $10, c: $11, ldc: $12) },
            gemv: { m, n, a, x, y in Float.gemv(trans: false, m: m, n: n, alpha: 1, a: a, lda: n, x: x, beta: 0, y: y) })
    }

    /// One product the model runs, in CBLAS's terms; `gemv` means `y = A x` for an `[m, n]` A.
    public struct Product: Sendable {
        public var name: String
        public var transA = false, transB = false, gemv = false
        public var m: Int, n: Int, k: Int
        public var beta: Float = 0
        /// A's leading dimension when A is a block of a wider matrix (the model's per-step row blocks).
        public var lda: Int? = nil
    }

    /// The production model's products at batch 16: forward, both transposed backward forms, and one sample's step.
    public static let products: [Product] = [
        Product(name: "LSTM input projection [T*B, I] x [4H, I]^T", transB: true, m: 96, n: 1024, k: 512),
        Product(name: "LSTM input gradient [T*B, 4H] x [4H, I]", m: 96, n: 512, k: 1024, beta: 1),
        Product(name: "LSTM weight gradient [T*B, 4H]^T x [T*B, I]", transA: true, m: 1024, n: 512, k: 96, beta: 1),
        // The per-step products in the row blocks `LSTMDirection.smallProducts` cuts (OpenBLAS's small-matrix path).
        Product(name: "LSTM recurrent step, a 64-row block of [4H, B] = w_hh x h^T", transA: true, transB: true, m: 64, n: 16, k: 256, lda: 1024),
        Product(name: "LSTM recurrent gradient, a 16-row block of [H, B] = w_hh^T x dgates^T", transA: true, transB: true, m: 16, n: 16, k: 1024,
                lda: 256),
        Product(name: "graph weights [B*V, C] x [C, C]^T", transB: true, m: 528, n: 64, k: 64),
        Product(name: "graph aggregation [V, V] x [V, C]", m: 33, n: 64, k: 33),
        Product(name: "graph aggregation gradient [V, V]^T x [V, C]", transA: true, m: 33, n: 64, k: 33, beta: 1),
        Product(name: "one-sample recurrent step w_hh [4H, H] x h", gemv: true, m: 1024, n: 256, k: 256),
    ]

    /// What the check found.
    public struct Result: Sendable, Codable, Equatable {
        public var passed: Bool
        public var milliseconds: Double
        /// Products run and entries compared.
        public var products: Int, entries: Int
        /// The largest error as a fraction of its tolerance (below 1 passes).
        public var worst: Double
        /// The first failure: product, entry, value, reference, tolerance; nil when passed.
        public var failure: String?
    }

    /// Runs every product on `kernels` and compares with double precision.
    public static func run(kernels: Kernels = .openBLAS, products: [Product] = products) -> Result {
        let start = ContinuousClock.now
        var entries = 0, worst = 0.0
        for (index, product) in products.enumerated() {
            let outcome = check(product, kernels: kernels, seed: 0x5e1f + 16 * UInt64(index))
            entries += outcome.entries
            worst = max(worst, outcome.worst)
            if let failure = outcome.failure {
                return Result(passed: false, milliseconds: (ContinuousClock.now - start).inSeconds * 1000, products: products.count,
                              entries: entries, worst: worst, failure: "\(product.name): \(failure)")
            }
        }
        return Result(passed: true, milliseconds: (ContinuousClock.now - start).inSeconds * 1000, products: products.count,
                      entries: entries, worst: worst, failure: nil)
    }

    /// The entries compared: all of a small result; of a large one every column of a few rows
    /// (first, middle, last two) and every row of a few columns, so each row and column block of
    /// the kernel's tiling is seen, at a few million multiply-adds in all.
    static func entries(of p: Product) -> [(row: Int, column: Int)] {
        let n = p.gemv ? 1 : p.n
        if p.m * n * p.k <= 1_000_000 { return (0..<p.m).flatMap { i in (0..<n).map { (i, $0) } } }
        func few(_ count: Int) -> [Int] { Array(Set([0, count / 2, count - 2, count - 1].filter { $0 >= 0 })).sorted() }
        let rows = few(p.m), columns = few(n)
        return rows.flatMap { i in (0..<n).map { (i, $0) } } + (0..<p.m).filter { !rows.contains($0) }.flatMap { i in columns.map { (i, $0) } }
    }

    static func check(_ p: Product, kernels: Kernels, seed: UInt64) -> (entries: Int, worst: Double, failure: String?) {
        // Stored shapes: A is [m, k] (or [k, m] transposed), B is [k, n] (or [n, k]); y = A x for gemv.
        let n = p.gemv ? 1 : p.n, k = p.gemv ? p.n : p.k
        let aColumns = p.lda ?? (p.transA ? p.m : k), bColumns = p.gemv ? 1 : (p.transB ? k : n)
        func uniform(_ count: Int, _ seed: UInt64) -> [Float] {
            var values = [Float](repeating: 0, count: count)
            biomech_fill_uniform(&values, count, seed)
            return values
        }
        let a = uniform((p.transA ? k : p.m) * aColumns, seed), b = uniform(k * n, seed + 1)
        let c0 = p.beta == 0 ? [Float](repeating: 0, count: p.m * n) : uniform(p.m * n, seed + 2)
        var c = c0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    if p.gemv {
                        kernels.gemv(p.m, p.n, a.baseAddress!, b.baseAddress!, c.baseAddress!)
                    } else {
                        kernels.gemm(p.transA, p.transB, p.m, p.n, p.k, 1, a.baseAddress!, aColumns, b.baseAddress!, bColumns,
                                     p.beta, c.baseAddress!, p.n)
                    }
                }
            }
        }
        let list = entries(of: p).flatMap { [Int32($0.row), Int32($0.column)] }
        var worst = 0.0, reference = 0.0, tolerance = 0.0
        let failed = biomech_check_product(p.transA ? 1 : 0, !p.gemv && p.transB ? 1 : 0, Int32(k), a, Int32(aColumns), b, Int32(bColumns),
                                           p.beta, c0, c, Int32(n), list, list.count / 2, &worst, &reference, &tolerance)
        guard failed >= 0 else { return (list.count / 2, worst, nil) }
        let i = Int(list[2 * failed]), j = Int(list[2 * failed + 1])
        return (failed + 1, worst, "entry [\(i), \(j)] is \(c[i * n + j]), double precision gives \(reference) (tolerance \(String(format: "%.2g", tolerance)))")
    }

    /// The loaded kernels' rate on one LSTM layer's products (forward and backward, B = 16,
    /// T = 15, the per-step ones in the model's row blocks), in GFLOP/s on one thread, best of
    /// three: the figure behind "this CPU also runs X, N times as fast".
    public static func gflops(kernels: Kernels = .openBLAS) -> Double {
        let b = 16, t = 15, h = 256, g4 = 4 * h, i = 2 * h, rows = t * b
        let big = [Float](repeating: 0.25, count: g4 * max(rows, i)), small = [Float](repeating: 0.5, count: max(rows, g4) * i)
        var out = [Float](repeating: 0, count: g4 * max(rows, i))
        var flops = 0.0
        func gemm(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, lda: Int, ldb: Int, ldc: Int) {
            kernels.gemm(ta, tb, m, n, k, 1, big, lda, small, ldb, 0, &out, ldc)
            flops += 2 * Double(m * n * k)
        }
        var best = 0.0
        for _ in 0..<3 {
            flops = 0
            let start = ContinuousClock.now
            gemm(false, true, rows, g4, i, lda: i, ldb: i, ldc: g4)                // input projection
            for _ in 1..<t {
                for first in stride(from: 0, to: g4, by: 64) { _ = first; gemm(true, true, 64, b, h, lda: g4, ldb: h, ldc: b) }
                for first in stride(from: 0, to: h, by: 16) { _ = first; gemm(true, true, 16, b, g4, lda: h, ldb: g4, ldc: b) }
            }
            gemm(true, false, g4, h, (t - 1) * b, lda: g4, ldb: h, ldc: h)        // dW_hh
            gemm(false, false, rows, i, g4, lda: g4, ldb: i, ldc: i)              // input gradient
            gemm(true, false, g4, i, rows, lda: g4, ldb: i, ldc: i)               // dW_ih
            best = max(best, flops / (ContinuousClock.now - start).inSeconds / 1e9)
        }
        return best
    }
}
