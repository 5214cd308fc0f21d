import Biomechanics
import Testing
import Training

/// Augmentations keep the labels true: mirrors swap sides with their labels, turns keep bone lengths.
@Suite struct AugmentationTests {
    /// A window of `w` frames where landmark l of frame t is at a distinct, asymmetric point.
    func window(_ w: Int) -> (x: [Float], mask: [UInt8]) {
        var x: [Float] = [], mask: [UInt8] = []
        for t in 0..<w {
            for l in 0..<33 {
                x += [Float(l) * 0.03 + Float(t) * 0.01, Float(l % 7) * 0.1 - 0.3, Float(l % 5) * 0.05]
                mask.append(UInt8((l + t) % 3 == 0 ? 0 : 1))
            }
        }
        return (x, mask)
    }

    @Test func mirroringTwiceIsTheIdentityAndSwapsTheSidesWithTheirLabels() {
        let (x0, m0) = window(4)
        var x = x0, mask = m0, angles: [Float] = [1, 2, 3, 4, 5, 6]
        Augmentation.mirror(x: &x, mask: &mask, angles: &angles, frames: 4)
        #expect(angles == [2, 1, 4, 3, 6, 5], "left and right knee, hip and elbow swap")
        let leftKnee = Landmark.leftKnee.rawValue, rightKnee = Landmark.rightKnee.rawValue
        #expect(x[leftKnee * 3] == -x0[rightKnee * 3] && x[leftKnee * 3 + 1] == x0[rightKnee * 3 + 1])
        #expect(mask[leftKnee] == m0[rightKnee])
        #expect(x[0] == -x0[0], "the nose is its own mirror")
        Augmentation.mirror(x: &x, mask: &mask, angles: &angles, frames: 4)
        #expect(x == x0 && mask == m0 && angles == [1, 2, 3, 4, 5, 6])
    }

    @Test func turningAboutTheVerticalKeepsBoneLengthsAndScalingScalesThem() {
        let (x0, m0) = window(3)
        func bones(_ x: [Float]) -> [Float] {
            SkeletonGraph.poseConnections.map { a, b in
                let d = (0..<3).map { x[a * 3 + $0] - x[b * 3 + $0] }
                return (d.map { $0 * $0 }.reduce(0, +)).squareRoot()
            }
        }
        var x = x0, mask = m0, angles: [Float] = [1, 2, 3, 4, 5, 6]
        Augmentation.apply(.init(yawDegrees: 25, scale: 1, mirror: false, speed: 1), x: &x, mask: &mask, angles: &angles, frames: 3)
        #expect(zip(bones(x), bones(x0)).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(x, x0).enumerated().allSatisfy { i, p in i % 3 != 1 || p.0 == p.1 }, "y (vertical) is unchanged by a turn")
        #expect(x != x0 && angles == [1, 2, 3, 4, 5, 6] && mask == m0)
        var y = x0
        Augmentation.apply(.init(yawDegrees: 0, scale: 1.1, mirror: false, speed: 1), x: &y, mask: &mask, angles: &angles, frames: 3)
        #expect(zip(bones(y), bones(x0)).allSatisfy { abs($0 - 1.1 * $1) < 1e-5 })
    }

    @Test func drawsArePureFunctionsOfSeedBatchAndRowAndStayInTheirRanges() {
        let a = Augmentation()
        #expect(a.draw(seed: 1, batch: 5, row: 3) == a.draw(seed: 1, batch: 5, row: 3))
        #expect(a.draw(seed: 1, batch: 5, row: 3) != a.draw(seed: 1, batch: 5, row: 4))
        let draws = (0..<200).map { a.draw(seed: 2, batch: $0, row: 0) }
        #expect(draws.allSatisfy { abs($0.yawDegrees) <= 30 && abs($0.scale - 1) <= 0.1 && abs($0.speed - 1) <= 0.1 })
        let mirrored = draws.filter(\.mirror).count
        #expect(mirrored > 60 && mirrored < 140, "about half of 200: \(mirrored)")
    }

    @Test func aSpeedOfOneLeavesTheWindowAloneAndOtherSpeedsKeepItsCentre() {
        let (x0, m0) = window(5)
        var x = x0, mask = m0, angles: [Float] = [1, 2, 3, 4, 5, 6]
        Augmentation.apply(.init(yawDegrees: 0, scale: 1, mirror: false, speed: 1), x: &x, mask: &mask, angles: &angles, frames: 5)
        #expect(x == x0 && mask == m0)
        Augmentation.apply(.init(yawDegrees: 0, scale: 1, mirror: false, speed: 1.1), x: &x, mask: &mask, angles: &angles, frames: 5)
        #expect(Array(x[(2 * 99)..<(3 * 99)]) == Array(x0[(2 * 99)..<(3 * 99)]), "the centre frame stays")
        // Frame 1 shows time 0.9 (between frames 0 and 1); frame 0 would show -0.2, clamped to frame 0.
        let expected = (0..<99).map { x0[$0] * 0.1 + x0[99 + $0] * 0.9 }
        #expect(zip(x[99..<198], expected).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(Array(x[0..<99]) == Array(x0[0..<99]))
    }
}
