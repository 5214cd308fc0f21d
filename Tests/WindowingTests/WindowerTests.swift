import Shards
import Testing
import Windowing

/// Window counts, gap filling, drop thresholds and normalization, on constructed sequences.
@Suite struct WindowerTests {
    /// A sequence of `frames` frames where landmark l of frame t sits at (t, l, 1), NaN where `missing` says.
    func sequence(frames: Int, missing: (Int, Int) -> Bool = { _, _ in false }) -> [Float] {
        var points: [Float] = []
        for t in 0..<frames {
            for l in 0..<33 { points += missing(t, l) ? [.nan, .nan, .nan] : [Float(t), Float(l), 1] }
        }
        return points
    }

    @Test(arguments: [(59, 0), (60, 1), (89, 1), (90, 2), (150, 4), (151, 4), (300, 9)])
    func windowCountIsTheFloorFormula(frames: Int, count: Int) {
        #expect(Windower.windowCount(frames: frames, window: 60, stride: 30) == count)
        #expect(Windower.windowCount(frames: frames, window: 60, stride: 30) == (frames >= 60 ? (frames - 60) / 30 + 1 : 0))
    }

    @Test func shortGapsAreFilledLinearlyAndMarkedLongOnesAndEndsAreNot() {
        // Landmark 5 missing at frames 3-5 (a gap of 3), landmark 6 at 10-17 (8), landmark 7 at the last two frames.
        let points = sequence(frames: 20) { t, l in (l == 5 && (3...5).contains(t)) || (l == 6 && (10...17).contains(t)) || (l == 7 && t >= 18) }
        let (filled, observed) = Windower.fillGaps(points, frames: 20, maxGap: 5)
        for t in 3...5 {
            #expect(filled[(t * 33 + 5) * 3] == Float(t), "linear between frames 2 and 6")
            #expect(filled[(t * 33 + 5) * 3 + 1] == 5)
            #expect(observed[t * 33 + 5] == 0)
        }
        #expect(observed[2 * 33 + 5] == 1 && observed[6 * 33 + 5] == 1)
        #expect(filled[(12 * 33 + 6) * 3].isNaN, "8 frames is longer than max-gap 5")
        #expect(filled[(19 * 33 + 7) * 3].isNaN, "no frame after the gap to interpolate to")
        #expect(observed.filter { $0 == 0 }.count == 3 + 8 + 2)
    }

    @Test func windowsAreDroppedByTheirMissingShares() {
        let t = Thresholds(maxGap: 5, maxMissingFrames: 0.2, maxMissingLandmarks: 0.3)
        func reason(_ missing: @escaping (Int, Int) -> Bool) -> Windower.DropReason? {
            let (filled, observed) = Windower.fillGaps(sequence(frames: 10, missing: missing), frames: 10, maxGap: t.maxGap)
            return Windower.dropReason(points: filled, observed: observed, start: 0, window: 10, thresholds: t)
        }
        #expect(reason { _, _ in false } == nil)
        #expect(reason { f, _ in f == 4 || f == 5 } == nil, "2 empty frames of 10 is not more than 20%")
        #expect(reason { f, _ in (3...5).contains(f) } == .missingFrames, "3 of 10 is")
        #expect(reason { f, _ in f == 0 } == .unfilledGap, "an empty first frame has nothing before it")
        #expect(reason { f, l in l < 11 && f % 3 == 1 } == nil, "11 landmarks on 3 of 10 frames: 10% of entries")
        #expect(reason { f, l in l < 25 && f > 0 && f % 2 == 0 } == .missingLandmarks, "25 landmarks on frames 2, 4, 6, 8: 30.3% of entries")
    }

    @Test func normalizationPutsTheMidHipAtTheOriginAndTheTorsoAtUnitLength() throws {
        // Hips at (1 ± 0.1, 2, 3) moving along x; shoulders 0.5 above: torso 0.5 in every frame.
        var points: [Float] = []
        for t in 0..<4 {
            for l in 0..<33 {
                switch l {
                case 23: points += [1.1 + Float(t), 2, 3]
                case 24: points += [0.9 + Float(t), 2, 3]
                case 11: points += [1.2 + Float(t), 1.5, 3]
                case 12: points += [0.8 + Float(t), 1.5, 3]
                default: points += [Float(l) / 10 + Float(t), 1, 3]
                }
            }
        }
        let x = try #require(Windower.normalize(points[...], frames: 4))
        for t in 0..<4 {
            let hip = (0..<3).map { (x[(t * 33 + 23) * 3 + $0] + x[(t * 33 + 24) * 3 + $0]) / 2 }
            let shoulder = (0..<3).map { (x[(t * 33 + 11) * 3 + $0] + x[(t * 33 + 12) * 3 + $0]) / 2 }
            #expect(hip.allSatisfy { abs($0) < 1e-6 })
            #expect(abs(zip(shoulder, hip).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() - 1) < 1e-6)
        }
        // Landmark 0 of frame 0 was at (0, 1, 3): relative to the hip (1, 2, 3), over 0.5.
        #expect(abs(x[0] - -2) < 1e-6 && abs(x[1] - -2) < 1e-6 && abs(x[2]) < 1e-6)
        #expect(Windower.normalize([Float](repeating: 0, count: 4 * 99)[...], frames: 4) == nil, "no torso")
    }
}
