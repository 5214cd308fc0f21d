import Biomechanics
import Foundation
import Shards
import Testing
import Windowing

/// Labels on constructed poses with known angles, and the truth path.
@Suite struct WindowLabelerTests {
    /// A standing pose (metres, y down) with both knees bent to `knee` degrees and the rest straight.
    func pose(knee: Double) -> [Float] {
        var p = [SIMD3<Double>](repeating: SIMD3(0, -0.6, 0), count: 33)
        for side in [0.0, 1.0] {
            let x = side == 0 ? 0.15 : -0.15
            let (shoulder, elbow, wrist, hip, kneeL, ankle) = side == 0 ? (11, 13, 15, 23, 25, 27) : (12, 14, 16, 24, 26, 28)
            p[hip] = SIMD3(x, 0, 0)
            p[shoulder] = SIMD3(x, -0.5, 0)
            p[elbow] = SIMD3(x, -0.2, 0)
            p[wrist] = SIMD3(x, 0.1, 0)
            p[kneeL] = SIMD3(x, 0.45, 0)
            // The shin leaves the knee at `knee` degrees from the thigh (which points up from the knee).
            let a = knee * .pi / 180
            p[ankle] = p[kneeL] + SIMD3(0, -cos(a), sin(a)) * 0.45
        }
        return p.flatMap { [Float($0.x), Float($0.y), Float($0.z)] }
    }

    @Test func anglesAreThePeakFlexionOfTheWindowAfterTheMedianFilter() throws {
        // Knees go 170 -> 90 -> 170 over 11 frames; one frame has a spike to 40 that the median removes.
        let knees: [Double] = [170, 160, 140, 120, 100, 90, 100, 40, 140, 160, 170]
        let world = knees.flatMap(pose(knee:))
        let labels = WindowLabeler.labels(world: world, start: 0, window: 11, fps: 30, SequenceLabels(exercise: .squat, quality: .good))
        #expect(abs(Double(labels.angles[JointAngle.leftKnee.rawValue]) - 100) < 0.01, "median of 90, 100, 40, 100, 140 ... smallest 100")
        #expect(abs(Double(labels.angles[JointAngle.rightKnee.rawValue]) - 100) < 0.01)
        #expect(abs(Double(labels.angles[JointAngle.leftElbow.rawValue]) - 180) < 0.01, "straight arms")
        #expect(labels.exercise == Int32(Exercise.squat.classIndex) && labels.quality == 1)
        #expect(labels.flags == [LabelSource.computed, .computed, .truth, .computed].map(\.rawValue))
        #expect(!labels.form.isNaN && (0...100).contains(labels.form))
        #expect(!labels.risk.isNaN && (0...100).contains(labels.risk))
    }

    @Test func withoutAnExerciseFormAndRiskAreMissingNotZero() {
        let world = Array(repeating: pose(knee: 150), count: 6).flatMap { $0 }
        let labels = WindowLabeler.labels(world: world, start: 0, window: 6, fps: 30, SequenceLabels())
        #expect(labels.form.isNaN && labels.risk.isNaN && labels.exercise == -1 && labels.quality == -1)
        #expect(labels.flags == [LabelSource.missing, .computed, .missing, .missing].map(\.rawValue))
        #expect(abs(Double(labels.angles[0]) - 150) < 0.01)
    }

    @Test func truthWinsAndRepsAreWeightedByOverlap() {
        let world = Array(repeating: pose(knee: 150), count: 20).flatMap { $0 }
        let angles = (0..<20).map { t in [Double](repeating: 100 + Double(t), count: 6) }
        let risk = (0..<20).map { Double($0) }
        let truth = SequenceTruth(reps: [.init(start: 0, end: 8, formScore: 90), .init(start: 8, end: 20, formScore: 60)],
                                  jointAngles: angles, overallRisk: risk)
        // Frames 4..<14 overlap rep 1 for 4 frames and rep 2 for 6: (4 * 90 + 6 * 60) / 10 = 72.
        let labels = WindowLabeler.labels(world: world, start: 4, window: 10, fps: 30, SequenceLabels(exercise: .lunge, truth: truth))
        #expect(abs(labels.form - 72) < 1e-4)
        #expect(abs(labels.angles[0] - 105) < 1e-4, "the median of 104..106 at frame 5 is the smallest")
        #expect(labels.risk == 13)
        #expect(labels.flags == [LabelSource.truth, .truth, .truth, .truth].map(\.rawValue))
    }

    @Test func peakFlexionIgnoresNaNAndIsNaNOnlyWhenAllAre() {
        // The medians around each frame, NaN left out: 95, 95, 95, 95, then (90 + 95) / 2 at the end.
        #expect(WindowLabeler.peakFlexion([.nan, 100, 90, .nan, 95]) == 92.5)
        #expect(WindowLabeler.peakFlexion([.nan, .nan]).isNaN)
    }
}
