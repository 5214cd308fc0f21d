import BiomechCore
import Biomechanics

/// Settings of one `biomech-synth` run.
public struct SynthOptions: Sendable {
    public var count = 1000
    public var frames = 150
    public var fps = 30.0
    public var seed: UInt64 = 42
    public var noise = DetectorNoise()
    public init() {}
}

/// One generated sequence: the detector-like outputs and the ground truth behind them.
public struct SynthSequence: Sendable {
    public var id: String
    /// [T, 33, 4]: image x, y, z, visibility; NaN rows for missed frames.
    public var image: [Float]
    /// [T, 33, 3]: world x, y, z in metres; NaN rows for missed frames.
    public var world: [Float]
    public var metadata: SequenceMetadata
    /// Noise-free world landmarks per frame (for previews and tests; not written).
    public var cleanWorld: [[Vec3]]
    /// Noise-free landmarks in the body frame (y up, subject facing +z), for side-view previews.
    public var bodyFrame: [[Vec3]]
}

/// Generates sequences; sequence `index` depends only on the seed and the index.
public enum SequenceGenerator {
    /// The exercise and quality level of sequence `index`: every block of 20 holds each pair once.
    public static func plan(_ index: Int) -> (Exercise, QualityLevel) {
        (Exercise.allCases[index % 5], QualityLevel.allCases[(index / 5) % 4])
    }

    /// Fault severities drawn for a quality level (docs/LABELS.md, "Synthetic faults").
    static func drawFaults(_ exercise: Exercise, _ level: QualityLevel, rng: inout SeededRandom) -> FaultSeverities {
        var faults = FaultSeverities()
        let candidates = Fault.faults(for: exercise)
        let (count, range): (Int, ClosedRange<Double>)
        switch level {
        case .excellent: (count, range) = (1, 0...0.08)
        case .good: (count, range) = (1, 0.55...0.95)
        case .fair: (count, range) = (2, 0.55...0.85)
        case .poor: (count, range) = (3, 0.7...1.0)
        }
        var pool = candidates
        for _ in 0..<min(count, pool.count) {
            let fault = pool.remove(at: Int(rng.next() % UInt64(pool.count)))
            faults[fault] = rng.uniform(range)
        }
        return faults
    }

    public static func generate(index: Int, options: SynthOptions) -> SynthSequence {
        var rng = SeededRandom(seed: options.seed, stream: UInt64(index))
        let (exercise, level) = plan(index)
        let subject = Subject(&rng)
        let camera = Camera(&rng, exercise: exercise)
        let duration = Double(options.frames) / options.fps

        // Draw faults until the truth lands in the level's score range (a few tries at most). When no
        // draw lands (very short sequences hold no full rep), the closest one is kept and labelled by
        // its own truth score, with the planned level beside it: a label never contradicts the truth.
        var attempt: (FaultSeverities, ExerciseMotion, Timeline, [[Vec3]], [RepTruth])!
        var bestMiss = Double.infinity
        for _ in 0..<12 {
            let faults = drawFaults(exercise, level, rng: &rng)
            let motion = ExerciseMotion(exercise: exercise, subject: subject, faults: faults, rng: &rng)
            let timeline = Timeline(duration: duration, fastEccentric: faults[.fastEccentric], rng: &rng)
            let body = (0..<options.frames).map { f in motion.pose(timeline.phase(Double(f) / options.fps)).landmarks(subject) }
            let world = body.map { camera.world($0, hipMid: ($0[Landmark.leftHip.rawValue] + $0[Landmark.rightHip.rawValue]) / 2) }
            let reps = timeline.frameRanges(fps: options.fps, frames: options.frames).map { range in
                RepTruth(range: range, assessment: FormScorer.score(rep: Array(world[range]), exercise: exercise, fps: options.fps), faults: faults)
            }
            let mean = reps.map(\.assessment.score).reduce(0, +) / Double(max(1, reps.count))
            let miss = max(level.scoreRange.lowerBound - mean, mean - level.scoreRange.upperBound, 0)
            if miss < bestMiss { attempt = (faults, motion, timeline, body, reps); bestMiss = miss }
            if QualityLevel.level(forScore: mean) == level { break }
        }
        let (faults, _, _, body, reps) = attempt

        // Detector outputs: image and world landmarks with noise, dropouts and missed frames.
        let aim = body[0].reduce(Vec3.zero, +) / Double(Landmark.count)
        let cameraFrame = camera.frame(aim: aim)
        var image = [Float](), world = [Float](), cleanWorld = [[Vec3]]()
        image.reserveCapacity(options.frames * 33 * 4)
        world.reserveCapacity(options.frames * 33 * 3)
        let risk = RiskModel(exercise: exercise, bodyMass: subject.mass)
        var angles: [[Double]] = [], risks: [[Double]] = []
        for pose in body {
            let hipMid = (pose[Landmark.leftHip.rawValue] + pose[Landmark.rightHip.rawValue]) / 2
            let clean = camera.world(pose, hipMid: hipMid)
            cleanWorld.append(clean)
            angles.append(JointAngle.all(in: clean))
            risks.append(risk.risk(clean).joints)
            let projected = camera.project(pose, aim: aim, hipMid: hipMid)
            if let detected = options.noise.detect(image: projected, world: clean, bodyFrame: pose,
                                                   towardCamera: -cameraFrame.forward, rng: &rng) {
                for p in detected.image { image += [Float(p.x), Float(p.y), Float(p.z), Float(p.w)] }
                for p in detected.world { world += [Float(p.x), Float(p.y), Float(p.z)] }
            } else {
                image += [Float](repeating: .nan, count: 33 * 4)
                world += [Float](repeating: .nan, count: 33 * 3)
            }
        }
        let id = "synth-\(options.seed)-" + String(repeating: "0", count: max(0, 6 - String(index).count)) + String(index)
        var metadata = SequenceMetadata(id: id, seed: options.seed, index: index, fps: options.fps, frames: options.frames,
                                        exercise: exercise, quality: level, subject: subject, camera: camera, faults: faults,
                                        reps: reps, angles: angles, risks: risks, noise: options.noise)
        let truthLevel = QualityLevel.level(forScore: metadata.truth.formScore)
        if truthLevel != level {
            metadata.quality = truthLevel
            metadata.plannedQuality = level
        }
        return SynthSequence(id: id, image: image, world: world, metadata: metadata, cleanWorld: cleanWorld, bodyFrame: body)
    }
}

/// The truth of one rep: where it is and its form assessment on noise-free landmarks.
struct RepTruth {
    var range: Range<Int>
    var assessment: FormAssessment
    var faults: FaultSeverities
}
