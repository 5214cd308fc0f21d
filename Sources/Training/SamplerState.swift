/// Where a `MixedSampler` is: enough to continue with exactly the batches it would have given.
///
/// Stored in checkpoints, so a resumed run sees the same data in the same order.
public struct SamplerState: Codable, Sendable, Equatable {
    /// The epoch under way (0-based) and the next position in its order of primary windows.
    public var epoch = 0
    public var position = 0
    /// Batches handed out since the start of the run (names each batch's augmentation).
    public var batches = 0
    /// The synthetic stream: its pass (each a new shuffle) and position, when real data is primary.
    public var syntheticPass = 0
    public var syntheticPosition = 0
    /// Real and synthetic windows handed out since the start of the run: the exact-share carry.
    public var realTaken = 0
    public var syntheticTaken = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case epoch, position, batches
        case syntheticPass = "synthetic_pass", syntheticPosition = "synthetic_position"
        case realTaken = "real_taken", syntheticTaken = "synthetic_taken"
    }
}
