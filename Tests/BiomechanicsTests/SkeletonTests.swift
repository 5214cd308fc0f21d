import Biomechanics
import Testing

@Suite struct SkeletonTests {
    @Test func landmarksFollowMediaPipe() {
        #expect(Landmark.allCases.count == 33)
        #expect(Landmark.nose.rawValue == 0 && Landmark.nose.name == "nose")
        #expect(Landmark.leftEyeInner.name == "left_eye_inner")
        #expect(Landmark.leftShoulder.rawValue == 11 && Landmark.rightHip.rawValue == 24)
        #expect(Landmark.rightFootIndex.rawValue == 32 && Landmark.rightFootIndex.name == "right_foot_index")
        #expect(Landmark.named("left_heel") == .leftHeel)
        #expect(Landmark.leftKnee.mirrored == .rightKnee && Landmark.mouthRight.mirrored == .mouthLeft && Landmark.nose.mirrored == .nose)
        #expect(Landmark.allCases.allSatisfy { $0.mirrored.mirrored == $0 })
    }

    @Test func graphHas39UniqueEdgesInOneComponent() {
        let edges = SkeletonGraph.edges
        #expect(SkeletonGraph.poseConnections.count == 35)
        #expect(edges.count == 39)
        let undirected = Set(edges.map { [min($0.0, $0.1), max($0.0, $0.1)] })
        #expect(undirected.count == 39)
        #expect(edges.allSatisfy { $0.0 != $0.1 && (0..<33).contains($0.0) && (0..<33).contains($0.1) })
        var seen: Set<Int> = [0], frontier = [0]
        while let node = frontier.popLast() {
            for next in SkeletonGraph.neighbours[node] where seen.insert(next).inserted { frontier.append(next) }
        }
        #expect(seen.count == 33)
        // Without the bridges, MediaPipe's graph falls apart into face, mouth and body.
        var plain = Array(repeating: [Int](), count: 33)
        for (a, b) in SkeletonGraph.poseConnections { plain[a].append(b); plain[b].append(a) }
        var reach: Set<Int> = [0], stack = [0]
        while let n = stack.popLast() { for m in plain[n] where reach.insert(m).inserted { stack.append(m) } }
        #expect(reach.count == 9)
    }

    @Test func expectedDegrees() {
        let degree = SkeletonGraph.neighbours.map(\.count)
        #expect(degree[Landmark.nose.rawValue] == 6)            // two eyes, two mouth corners, two shoulders
        #expect(degree[Landmark.leftShoulder.rawValue] == 4)    // other shoulder, elbow, hip, nose
        #expect(degree[Landmark.leftWrist.rawValue] == 4)       // elbow, pinky, index, thumb
        #expect(degree[Landmark.leftAnkle.rawValue] == 3)       // knee, heel, foot index
        #expect(degree[Landmark.leftEar.rawValue] == 1)
        #expect(degree[Landmark.mouthLeft.rawValue] == 2)
        #expect(degree.reduce(0, +) == 78)
    }

    @Test func normalizedAdjacencyIsSymmetric() {
        let a = SkeletonGraph.normalizedAdjacency()
        for i in 0..<33 { for j in 0..<33 { #expect(abs(a[i * 33 + j] - a[j * 33 + i]) < 1e-12) } }
        // Self-loop of the nose: 1 / (degree + 1).
        #expect(abs(a[0] - 1.0 / 7) < 1e-12)
    }
}

@Suite struct JointAngleTests {
    func pose(_ set: [Landmark: Vec3]) -> [Vec3] {
        var p = [Vec3](repeating: Vec3(0, 0, 0), count: 33)
        for (l, v) in set { p[l.rawValue] = v }
        return p
    }

    @Test func rightAngleIsNinetyDegrees() {
        let p = pose([.leftHip: Vec3(0, 0, 0), .leftKnee: Vec3(0, 0.4, 0), .leftAnkle: Vec3(0, 0.4, 0.4)])
        #expect(abs(JointAngle.leftKnee.degrees(in: p) - 90) < 1e-9)
    }

    @Test func straightLimbIs180AndFoldedIsSmall() {
        let straight = pose([.rightShoulder: Vec3(0, -0.3, 0), .rightElbow: Vec3(0, 0, 0), .rightWrist: Vec3(0, 0.25, 0)])
        #expect(abs(JointAngle.rightElbow.degrees(in: straight) - 180) < 1e-9)
        let folded = pose([.rightShoulder: Vec3(0, -0.3, 0), .rightElbow: Vec3(0, 0, 0), .rightWrist: Vec3(0.1, -0.1, 0)])
        #expect(abs(JointAngle.rightElbow.degrees(in: folded) - 45) < 1e-9)
    }

    @Test func anglesAreThreeDimensional() {
        // Hip at 60 degrees with the thigh out of the shoulder-hip plane.
        let p = pose([.leftShoulder: Vec3(0, -0.5, 0), .leftHip: Vec3(0, 0, 0), .leftKnee: Vec3(0, -0.2, 0.2 * 3.0.squareRoot())])
        #expect(abs(JointAngle.leftHip.degrees(in: p) - 60) < 1e-9)
        #expect(JointAngle.all(in: p).count == 6)
    }

    @Test func coincidentPointsGiveNaN() {
        #expect(JointAngle.leftKnee.degrees(in: pose([:])).isNaN)
    }
}

@Suite struct VocabularyTests {
    @Test func classesInHeadOrder() {
        #expect(Exercise.allCases.map(\.rawValue) == ["squat", "deadlift", "bench_press", "overhead_press", "lunge"])
        #expect(Exercise.lunge.classIndex == 4)
    }

    @Test func qualityLevelsCoverScores() {
        #expect(QualityLevel.level(forScore: 100) == .excellent)
        #expect(QualityLevel.level(forScore: 85) == .excellent)
        #expect(QualityLevel.level(forScore: 84.9) == .good)
        #expect(QualityLevel.level(forScore: 50) == .fair)
        #expect(QualityLevel.level(forScore: 12) == .poor)
        #expect(QualityLevel.poor < QualityLevel.excellent)
    }

    @Test func riskBands() {
        #expect(RiskBand(risk: 29.9) == .green)
        #expect(RiskBand(risk: 30) == .yellow)
        #expect(RiskBand(risk: 60) == .orange)
        #expect(RiskBand(risk: 80) == .red)
    }
}
