import Biomechanics
import Testing

/// The risk model on hand-built poses (world coordinates: y down, metres).
@Suite struct RiskModelTests {
    /// A standing pose leaning the trunk `lean` degrees forward (toward +z) from the hips.
    func pose(lean: Double) -> [Vec3] {
        var p = [Vec3](repeating: Vec3(0, 0, 0), count: 33)
        let a = lean * Double.pi / 180
        let up = Vec3(0, -cos(a), sin(a))
        func set(_ l: Landmark, _ v: Vec3) { p[l.rawValue] = v }
        for (side, x) in [(0, 0.1), (1, -0.1)] {
            let l = { (left: Landmark) in side == 0 ? left : left.mirrored }
            set(l(.leftHip), Vec3(x, 0, 0))
            set(l(.leftKnee), Vec3(x, 0.45, 0.05))
            set(l(.leftAnkle), Vec3(x, 0.9, 0))
            set(l(.leftShoulder), Vec3(x * 1.8, 0, 0) + up * 0.5)
            set(l(.leftElbow), p[l(.leftShoulder).rawValue] + Vec3(0, 0.3, 0))
            set(l(.leftWrist), p[l(.leftElbow).rawValue] + Vec3(0, 0.25, 0))
            set(l(.leftIndex), p[l(.leftWrist).rawValue] + Vec3(0, 0.08, 0))
            set(l(.leftEar), up * 0.75 + Vec3(x * 0.7, 0, 0))
        }
        return p
    }

    @Test func riskRisesWithLoad() {
        let light = RiskModel(exercise: .deadlift, bodyMass: 75, load: 20).risk(pose(lean: 40))
        let heavy = RiskModel(exercise: .deadlift, bodyMass: 75, load: 120).risk(pose(lean: 40))
        #expect(heavy.overall > light.overall)
        let lumbar = RiskModel.Joint.allCases.firstIndex(of: .lumbar)!
        #expect(heavy.joints[lumbar] > light.joints[lumbar])
    }

    @Test func riskRisesWithForwardLean() {
        let model = RiskModel(exercise: .squat, bodyMass: 75, load: 20)
        let lumbar = RiskModel.Joint.allCases.firstIndex(of: .lumbar)!
        let risks = [0.0, 15, 30, 45].map { model.risk(pose(lean: $0)).joints[lumbar] }
        #expect(zip(risks, risks.dropFirst()).allSatisfy { $0 < $1 }, "\(risks)")
    }

    @Test func momentIsWeightTimesHorizontalLever() {
        // Upright with hands straight below the shoulders and no load: the lumbar moment comes only
        // from masses off the hips' vertical line, so it is small; at 90 degrees it is large.
        let model = RiskModel(exercise: .deadlift, bodyMass: 75, load: 0)
        let lumbar = RiskModel.Joint.allCases.firstIndex(of: .lumbar)!
        #expect(model.moments(pose(lean: 0))[lumbar] < 5)
        // Trunk mass alone: 0.4346 x 75 kg x 9.81 x lever (55% of 0.5 m) is about 88 N·m.
        #expect(model.moments(pose(lean: 90))[lumbar] > 88)
    }

    @Test func riskIsClippedTo100() {
        let r = RiskModel(exercise: .deadlift, bodyMass: 120, load: 400).risk(pose(lean: 90))
        #expect(r.overall == 100)
        #expect(r.joints.allSatisfy { (0...100).contains($0) })
    }
}

#if canImport(Glibc)
import Glibc
#endif
