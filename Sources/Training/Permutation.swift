import BiomechCore

/// A shuffle that is a pure function of its seed, on every platform and Swift version.
///
/// The standard library's `shuffled(using:)` does not promise its algorithm, so training order
/// (which checkpoints and resumes rely on) uses this Fisher-Yates over `SeededRandom` instead.
public enum Permutation {
    /// `0..<count` shuffled by `SeededRandom(seed: seed, stream: stream)`.
    public static func of(_ count: Int, seed: UInt64, stream: UInt64) -> [Int] {
        var order = Array(0..<count)
        var rng = SeededRandom(seed: seed, stream: stream)
        guard count > 1 else { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        return order
    }
}
