// Vectorised exp, logistic and tanh for Float: the LSTM gates' nonlinearities.
// libm's expf/tanhf cost about a tenth of a training step when called one value at a time; these
// work on eight lanes (SSE2 or better) with Cephes' expf polynomial, within a few ulp of libm.

/// Elementwise exp, logistic and tanh over contiguous Float arrays.
public enum VectorMath {
    typealias V = SIMD8<Float>

    /// e^x for eight lanes: x = n ln2 + r with |r| <= ln2 / 2, e^r by polynomial, 2^n by exponent bits.
    @inline(__always) static func exp(_ v: V) -> V {
        let low = V(repeating: -87.33), high = V(repeating: 88.37)
        let x = v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
        // Round x / ln2 to the nearest integer by adding 1.5 * 2^23: its low mantissa bits then hold n.
        let shifter = V(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = V(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * (r * r) + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(shifter, to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: V.self)
        return p * scale
    }

    @inline(__always) static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    /// tanh x = 1 - 2 / (e^2x + 1): exact at the saturated ends, absolute error about 1e-7 near 0.
    @inline(__always) static func tanh(_ x: V) -> V { 1 - 2 / (exp(x + x) + 1) }

    public static func sigmoid(_ values: UnsafeMutablePointer<Float>, count: Int) { apply(values, count, sigmoid) }
    public static func tanh(_ values: UnsafeMutablePointer<Float>, count: Int) { apply(values, count, tanh) }

    /// Applies `f` in place, eight at a time; a short tail goes through a padded vector.
    @inline(__always) static func apply(_ values: UnsafeMutablePointer<Float>, _ count: Int, _ f: (V) -> V) {
        var i = 0
        let raw = UnsafeMutableRawPointer(values)
        while i + 8 <= count {
            raw.storeBytes(of: f(raw.loadUnaligned(fromByteOffset: i * 4, as: V.self)), toByteOffset: i * 4, as: V.self)
            i += 8
        }
        guard i < count else { return }
        var tail = V()
        for k in i..<count { tail[k - i] = values[k] }
        tail = f(tail)
        for k in i..<count { values[k] = tail[k - i] }
    }
}
