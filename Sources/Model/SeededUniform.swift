/// Reproducible numbers for initialisation, benchmarks and tests: a 64-bit linear congruential
/// generator, uniform in [-1, 1). Fast and seedable; not meant for statistics.
public struct SeededUniform: Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
}
