import BiomechCore
import Biomechanics
import Foundation
@testable import Synth
import Testing

/// The generator's physics and labels, on sequences it really generates.
@Suite struct GeneratorTests {
    static let options: SynthOptions = {
        var o = SynthOptions()
        o.seed = 7
        return o
    }()

    /// 160 sequences: 8 of each exercise x quality pair.
    static let sample: [SynthSequence] = Parallel.map(Array(0..<160), jobs: 4) { SequenceGenerator.generate(index: $0, options: options) }

    @Test func balancedPlan() {
        var counts: [String: Int] = [:]
        for i in 0..<40 {
            let (e, q) = SequenceGenerator.plan(i)
            counts["\(e) \(q)", default: 0] += 1
        }
        #expect(counts.count == 20 && counts.values.allSatisfy { $0 == 2 })
    }

    /// The limb and trunk bones, long enough that 1-2 cm of jitter does not bias their length.
    static let longBones: [(Landmark, Landmark)] = [
        (.leftShoulder, .leftElbow), (.leftElbow, .leftWrist), (.leftHip, .leftKnee), (.leftKnee, .leftAnkle),
        (.rightShoulder, .rightElbow), (.rightElbow, .rightWrist), (.rightHip, .rightKnee), (.rightKnee, .rightAnkle),
        (.leftShoulder, .rightShoulder), (.leftHip, .rightHip), (.leftShoulder, .leftHip), (.rightShoulder, .rightHip),
    ]

    @Test func boneLengthsAreConstant() {
        for s in Self.sample.prefix(40) {
            // Exact on the noise-free pose (rigid segments), every connection of the skeleton.
            for (a, b) in SkeletonGraph.poseConnections {
                let clean = s.cleanWorld.map { length($0[a] - $0[b]) }
                #expect(clean.max()! - clean.min()! < 1e-6, "\(s.id) bone \(a)-\(b)")
            }
            // Within the added jitter (1 cm per axis, 2 cm when occluded) on the detector output.
            for (a, b) in Self.longBones.map({ ($0.0.rawValue, $0.1.rawValue) }) {
                let truth = length(s.cleanWorld[0][a] - s.cleanWorld[0][b])
                let noisy = (0..<s.metadata.frames).compactMap { t -> Double? in
                    let pa = s.world[(t * 33 + a) * 3..<(t * 33 + a) * 3 + 3].map(Double.init)
                    let pb = s.world[(t * 33 + b) * 3..<(t * 33 + b) * 3 + 3].map(Double.init)
                    guard pa.allSatisfy(\.isFinite) else { return nil }
                    return length(Vec3(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]))
                }
                let median = noisy.sorted()[noisy.count / 2]
                let withinJitter = noisy.filter { abs($0 - truth) < 0.08 }.count
                #expect(abs(median - truth) < 0.02, "\(s.id) bone \(a)-\(b)")
                #expect(Double(withinJitter) >= 0.9 * Double(noisy.count), "\(s.id) bone \(a)-\(b)")
            }
        }
    }

    @Test func feetStayOnTheFloorInSquatsAndDeadlifts() {
        for s in Self.sample where [.squat, .deadlift].contains(s.metadata.exercise) {
            for toe in [Landmark.leftFootIndex, .rightFootIndex] {
                let heights = s.bodyFrame.map { $0[toe.rawValue].y }
                #expect(heights.max()! - heights.min()! < 1e-6, "\(s.id): toes left the floor")
                let horizontal = s.bodyFrame.map { Vec3($0[toe.rawValue].x, 0, $0[toe.rawValue].z) }
                #expect(horizontal.allSatisfy { length($0 - horizontal[0]) < 1e-6 }, "\(s.id): feet slid")
            }
            if s.metadata.faults["heel_lift"] == nil {
                for heel in [Landmark.leftHeel, .rightHeel] {
                    let heights = s.bodyFrame.map { $0[heel.rawValue].y }
                    #expect(heights.max()! - heights.min()! < 1e-6, "\(s.id): heel lifted without the fault")
                }
            }
        }
    }

    @Test func scorerRanksQualityLevelsAndTracksTruth() {
        var byLevel: [QualityLevel: [Double]] = [:]
        var measured: [Double] = [], truth: [Double] = []
        for s in Self.sample {
            // Score the detector output (noisy world landmarks; missed frames carry the last pose).
            let poses = Self.worldPoses(s)
            let reps = s.metadata.truth.reps.map { rep in
                FormScorer.score(rep: Array(poses[rep.start..<rep.end]), exercise: s.metadata.exercise, fps: s.metadata.fps).score
            }
            let score = reps.reduce(0, +) / Double(reps.count)
            byLevel[s.metadata.quality, default: []].append(score)
            measured.append(score)
            truth.append(s.metadata.truth.formScore)
        }
        let means = QualityLevel.allCases.map { level in byLevel[level]!.reduce(0, +) / Double(byLevel[level]!.count) }
        #expect(means[0] > means[1] && means[1] > means[2] && means[2] > means[3], "\(means)")
        let r = pearson(measured, truth)
        print("form score: measured on detector output vs truth, Pearson r = \(r); level means \(means)")
        #expect(r >= 0.9, "correlation \(r)")
    }

    @Test func riskRisesWithForwardLeanInGeneratedSquats() {
        var rng = SeededRandom(seed: 3)
        let subject = Subject(&rng)
        func lumbarRisk(_ lean: Double) -> Double {
            var faults = FaultSeverities()
            faults[.forwardLean] = lean
            var r = SeededRandom(seed: 5)
            let motion = ExerciseMotion(exercise: .squat, subject: subject, faults: faults, rng: &r)
            let camera = Camera(&r, exercise: .squat)
            let body = motion.pose(1).landmarks(subject)
            let world = camera.world(body, hipMid: (body[23] + body[24]) / 2)
            return RiskModel(exercise: .squat, bodyMass: subject.mass, load: 40).risk(world).joints[4]
        }
        let risks = [0.0, 0.5, 1.0].map(lumbarRisk)
        #expect(risks[0] < risks[1] && risks[1] < risks[2], "\(risks)")
    }

    @Test func truthAnglesMatchTheCleanPoses() {
        let s = Self.sample[0]
        for t in [0, 40, 90] {
            let expected = JointAngle.all(in: s.cleanWorld[t])
            for (a, b) in zip(s.metadata.truth.jointAngles[t], expected) { #expect(abs(a - b) < 0.001) }
        }
        #expect(s.metadata.truth.risk.count == s.metadata.frames)
        #expect(Self.sample.allSatisfy { $0.metadata.truth.reps.count >= 2 }, "a 5 s sequence holds several reps")
    }

    @Test func missedFramesAreNaNRowsAtTheDocumentedRate() {
        let rows = Self.sample.flatMap { s in (0..<s.metadata.frames).map { s.image[$0 * 132].isNaN } }
        let rate = Double(rows.filter { $0 }.count) / Double(rows.count)
        #expect(rate > 0.01 && rate < 0.03, "missed-frame rate \(rate)")
        let s = Self.sample.first { $0.image.contains { $0.isNaN } }!
        let t = (0..<s.metadata.frames).first { s.image[$0 * 132].isNaN }!
        #expect(s.image[t * 132..<(t + 1) * 132].allSatisfy { $0.isNaN })
        #expect(s.world[t * 99..<(t + 1) * 99].allSatisfy { $0.isNaN })
    }

    @Test func imageCoordinatesLookLikeMediaPipes() {
        for s in Self.sample.prefix(20) {
            let xs = stride(from: 0, to: s.image.count, by: 4).map { s.image[$0] }.filter(\.isFinite)
            let ys = stride(from: 1, to: s.image.count, by: 4).map { s.image[$0] }.filter(\.isFinite)
            let vis = stride(from: 3, to: s.image.count, by: 4).map { s.image[$0] }.filter(\.isFinite)
            #expect(xs.filter { (0...1).contains($0) }.count > xs.count * 95 / 100, "\(s.id) mostly inside the frame")
            #expect(ys.filter { (0...1).contains($0) }.count > ys.count * 95 / 100)
            #expect(vis.allSatisfy { (0...1).contains($0) })
        }
    }

    static func worldPoses(_ s: SynthSequence) -> [[Vec3]] {
        var last: [Vec3]?
        return (0..<s.metadata.frames).map { t in
            let rows = (0..<33).map { i in Vec3(Double(s.world[(t * 33 + i) * 3]), Double(s.world[(t * 33 + i) * 3 + 1]), Double(s.world[(t * 33 + i) * 3 + 2])) }
            if rows[0].x.isFinite { last = rows }
            return last ?? rows
        }
    }

    func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        let cov = zip(a, b).map { ($0 - ma) * ($1 - mb) }.reduce(0, +)
        let va = a.map { ($0 - ma) * ($0 - ma) }.reduce(0, +), vb = b.map { ($0 - mb) * ($0 - mb) }.reduce(0, +)
        return cov / (va * vb).squareRoot()
    }
}
