import Testing
import Training

/// The sampler: the exact real share, its determinism, and resuming mid-epoch.
@Suite struct MixedSamplerTests {
    func realRows(_ batch: SampledBatch) -> [Int] {
        batch.origins.compactMap { if case .real(let i) = $0 { i } else { nil } }
    }

    @Test func everyBatchOf16Has11Or12RealWindowsAndTheRunShareIs70PercentToOneWindow() {
        var sampler = MixedSampler(realCount: 500, syntheticCount: 300, ratio: 0.7, batch: 16, seed: 3)
        var real = 0, total = 0
        var seenReal = Set<Int>()
        for _ in 0..<120 {
            let batch = sampler.next()
            let r = realRows(batch).count
            #expect(batch.origins.count == 16 && (r == 11 || r == 12), "\(r) real")
            real += r
            total += 16
            #expect(abs(Double(real) - 0.7 * Double(total)) <= 1, "after \(total) windows: \(real) real")
            if batch.epoch == 0 { seenReal.formUnion(realRows(batch)) }
        }
        // One epoch is one pass over the real windows: no repeats, all but the last partial batch's.
        #expect(seenReal.count > 500 - 12 && seenReal.isSubset(of: Set(0..<500)))
    }

    @Test func theOrderIsAPureFunctionOfTheSeedAndWindowCounts() {
        func batches(seed: UInt64) -> [[SampledBatch.Origin]] {
            var s = MixedSampler(realCount: 100, syntheticCount: 40, ratio: 0.7, batch: 16, seed: seed)
            return (0..<20).map { _ in s.next().origins }
        }
        #expect(batches(seed: 1) == batches(seed: 1))
        #expect(batches(seed: 1) != batches(seed: 2))
        // Synthetic windows repeat only after all 40 were used (a reshuffle per pass).
        var s = MixedSampler(realCount: 100, syntheticCount: 40, ratio: 0.7, batch: 16, seed: 1)
        var synthetic: [Int] = []
        while synthetic.count < 40 {
            synthetic += s.next().origins.compactMap { if case .synthetic(let i) = $0 { i } else { nil } }
        }
        #expect(Set(synthetic.prefix(40)) == Set(0..<40))
    }

    @Test func aSamplerMadeFromASavedStateContinuesWithTheSameBatches() {
        var original = MixedSampler(realCount: 90, syntheticCount: 50, ratio: 0.7, batch: 16, seed: 9)
        for _ in 0..<13 { _ = original.next() }   // past the first epoch's end (90 real / 12 per batch)
        let saved = original.state
        let expected = (0..<10).map { _ in original.next() }
        var resumed = MixedSampler(realCount: 90, syntheticCount: 50, ratio: 0.7, batch: 16, seed: 9, state: saved)
        let got = (0..<10).map { _ in resumed.next() }
        #expect(got.map(\.origins) == expected.map(\.origins))
        #expect(got.map(\.number) == expected.map(\.number) && got.map(\.epoch) == expected.map(\.epoch))
        #expect(expected.first?.epoch == 1)
    }

    @Test func syntheticAloneIsPretrainingOnWholeBatches() {
        var s = MixedSampler(realCount: 0, syntheticCount: 50, ratio: 0.7, batch: 16, seed: 0)
        #expect(s.batchesPerEpoch == 3)
        let epoch = (0..<3).map { _ in s.next() }
        #expect(epoch.allSatisfy { $0.epoch == 0 && $0.origins.count == 16 })
        #expect(Set(epoch.flatMap(\.origins)).count == 48)
        #expect(s.isEpochDone)
        #expect(s.next().epoch == 1 && !s.isEpochDone)
    }
}
