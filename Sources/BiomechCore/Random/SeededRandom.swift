/// The project's one seeded generator (SplitMix64): a seed gives the same numbers on every run and machine.
///
/// Synthetic data, model initialisation, benchmarks and test fixtures all draw from it. Swift's
/// `SystemRandomNumberGenerator` cannot be seeded, and the standard library's distribution helpers
/// are not guaranteed stable across versions, so the draws are done here.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for sequence `index` of a run seeded with `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &+ 1) &* 0xD1B5_4A32_D192_ED03
        for _ in 0..<4 { _ = next() }
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in [-1, 1).
    public mutating func signedUnit() -> Double { unit() * 2 - 1 }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// Normal with mean 0 and standard deviation `sigma` (Box-Muller).
    public mutating func gaussian(_ sigma: Double) -> Double {
        let u = max(1e-300, unit()), v = unit()
        return sigma * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An element of `items`.
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
