import Shards

/// One training batch: windows from one or two shard folders, in sampler order.
public struct SampledBatch: Sendable {
    /// Per row: the reader (`.real` or `.synthetic`) and the window's global index in it.
    public enum Origin: Sendable, Hashable { case real(Int), synthetic(Int) }
    public var origins: [Origin]
    /// The batch's number since the start of the run: with the seed, it names the batch's augmentation.
    public var number: Int
    public var epoch: Int
}

/// Orders training windows: an epoch is one shuffled pass over the primary windows (the real ones,
/// or the synthetic ones when there is no real data), and with real data each batch mixes in
/// synthetic windows from an endless shuffled stream so the run-wide real share is exact.
///
/// Everything is a pure function of (seed, epoch, the readers' window counts) and `state`:
/// the same seed gives the same batches, and a sampler made from a saved state continues with
/// exactly the batches the original would have given. docs/TRAINING.md, "Sampler".
public struct MixedSampler: Sendable {
    public let realCount: Int
    public let syntheticCount: Int
    /// The real share of every batch, 0-1 (ignored without real windows).
    public let ratio: Double
    public let batch: Int
    public let seed: UInt64
    public private(set) var state: SamplerState
    private var epochOrder: [Int]
    private var syntheticOrder: [Int]

    /// `realCount` 0 means synthetic windows only (pretraining).
    public init(realCount: Int, syntheticCount: Int, ratio: Double, batch: Int, seed: UInt64, state: SamplerState = SamplerState()) {
        precondition(batch >= 1 && (realCount > 0 || syntheticCount > 0))
        precondition(realCount == 0 || (ratio > 0 && ratio <= 1 && (ratio == 1 || syntheticCount > 0)))
        self.realCount = realCount
        self.syntheticCount = syntheticCount
        self.ratio = realCount > 0 ? ratio : 0
        self.batch = batch
        self.seed = seed
        self.state = state
        epochOrder = []
        syntheticOrder = []
        epochOrder = order(epoch: state.epoch)
        syntheticOrder = realCount > 0 ? Permutation.of(syntheticCount, seed: seed, stream: Self.syntheticStream + UInt64(state.syntheticPass)) : []
    }

    static let epochStream: UInt64 = 0x6570_6f63_6800_0000      // "epoch"
    static let syntheticStream: UInt64 = 0x7379_6e74_6800_0000  // "synth"

    /// About how many batches an epoch has (exact for synthetic data alone; with real data the
    /// share's carry makes batches take one real window fewer now and then). For progress bars.
    public var batchesPerEpoch: Int {
        realCount > 0 ? Int(Double(realCount) / (ratio * Double(batch))) : syntheticCount / batch
    }

    /// True when the epoch under way cannot fill another batch: the next `next()` starts the next epoch.
    public var isEpochDone: Bool {
        state.position + (realCount > 0 ? realPerBatchMost : batch) > (realCount > 0 ? realCount : syntheticCount)
    }

    /// The most real windows a batch takes: an epoch ends when fewer are left, so no batch runs short.
    private var realPerBatchMost: Int { Self.realPerBatch(ratio: ratio, batch: batch) }

    /// The most real windows a batch of `batch` takes at `ratio`: a real split needs at least this many.
    public static func realPerBatch(ratio: Double, batch: Int) -> Int { max(1, Int((ratio * Double(batch)).rounded(.up))) }

    private func order(epoch: Int) -> [Int] {
        Permutation.of(realCount > 0 ? realCount : syntheticCount, seed: seed, stream: Self.epochStream + UInt64(epoch))
    }

    /// Moves to the start of the next epoch (a new shuffle of the primary windows).
    public mutating func startNextEpoch() {
        state.epoch += 1
        state.position = 0
        epochOrder = order(epoch: state.epoch)
    }

    /// The next batch; at the end of an epoch the next one starts (check `batch.epoch`).
    public mutating func next() -> SampledBatch {
        let primary = realCount > 0 ? realCount : syntheticCount
        var real = batch
        if realCount > 0 {
            // Real windows so far should be the share of all windows so far, to the nearest window.
            let total = state.realTaken + state.syntheticTaken + batch
            real = min(batch, max(0, Int((ratio * Double(total)).rounded()) - state.realTaken))
        }
        if isEpochDone { startNextEpoch() }
        var origins: [SampledBatch.Origin] = []
        let take = realCount > 0 ? min(real, primary - state.position) : batch
        for i in 0..<take {
            let index = epochOrder[state.position + i]
            origins.append(realCount > 0 ? .real(index) : .synthetic(index))
        }
        state.position += take
        if realCount > 0 {
            state.realTaken += take
            for _ in take..<batch {
                if state.syntheticPosition == syntheticCount {
                    state.syntheticPass += 1
                    state.syntheticPosition = 0
                    syntheticOrder = Permutation.of(syntheticCount, seed: seed, stream: Self.syntheticStream + UInt64(state.syntheticPass))
                }
                origins.append(.synthetic(syntheticOrder[state.syntheticPosition]))
                state.syntheticPosition += 1
                state.syntheticTaken += 1
            }
        } else {
            state.syntheticTaken += batch
        }
        let batch = SampledBatch(origins: origins, number: state.batches, epoch: state.epoch)
        state.batches += 1
        return batch
    }
}
