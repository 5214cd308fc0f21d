import Dispatch
import Synchronization

/// Assembles the next batch on a thread of its own while the model trains on the current one.
///
/// The sampler stays on the caller's thread (it is advanced one batch ahead); each prefetched
/// batch carries the sampler state *after* it, which is what a checkpoint taken once that batch
/// has trained must hold.
final class BatchPrefetcher: Sendable {
    struct Item: Sendable {
        var sampled: SampledBatch
        var batch: TrainingBatch
        /// The sampler's state once this batch has been handed out.
        var after: SamplerState
    }

    private let assembler: BatchAssembler
    private let queue = DispatchQueue(label: "biomech-train.prefetch")
    private let slot = Mutex<Item?>(nil)
    private let ready = DispatchSemaphore(value: 0)
    private let pending = Mutex(false)

    init(assembler: BatchAssembler) { self.assembler = assembler }

    /// Starts assembling the sampler's next batch of this epoch, if there is one.
    func prefetch(from sampler: inout MixedSampler) {
        guard !sampler.isEpochDone else { return }
        let sampled = sampler.next()
        let after = sampler.state
        pending.withLock { $0 = true }
        queue.async { [self] in
            let batch = assembler.assemble(sampled)
            slot.withLock { $0 = Item(sampled: sampled, batch: batch, after: after) }
            ready.signal()
        }
    }

    /// The batch started by the last `prefetch`, or nil when that found the epoch done.
    func take() -> Item? {
        guard pending.withLock({ let was = $0; $0 = false; return was }) else { return nil }
        ready.wait()
        return slot.withLock { item in defer { item = nil }; return item }
    }
}
