import Biomechanics

/// `ID.json`: what a sequence is and, for synthetic data, the truth behind it (docs/SEQUENCES.md).
public struct SequenceMetadata: Codable, Sendable {
    public var id: String
    public var source = "synthetic"
    public var generator = "biomech-synth"
    public var seed: UInt64
    public var index: Int
    public var fps: Double
    public var frames: Int
    public var exercise: Exercise
    /// The level of `truth.formScore`: always consistent with the truth.
    public var quality: QualityLevel
    /// The level the plan asked for, present only when no draw reached it (see docs/SEQUENCES.md).
    public var plannedQuality: QualityLevel?
    public var subject: Subject
    public var camera: Camera
    public var faults: [String: Double]
    public var truth: Truth
    public var noise: [String: Double]

    /// Ground truth computed on the noise-free landmarks with the Biomechanics definitions.
    public struct Truth: Codable, Sendable {
        /// Mean form score over the reps.
        public var formScore: Double
        public var reps: [Rep]
        public var jointAngleNames: [String]
        /// Per frame, the six joint angles in degrees.
        public var jointAngles: [[Double]]
        public var riskJoints: [String]
        /// Per frame, the risk (0-100) of each joint in `riskJoints`.
        public var risk: [[Double]]
        /// Per frame, the largest joint risk.
        public var overallRisk: [Double]

        enum CodingKeys: String, CodingKey {
            case reps, risk
            case formScore = "form_score"
            case jointAngleNames = "joint_angle_names"
            case jointAngles = "joint_angles"
            case riskJoints = "risk_joints"
            case overallRisk = "overall_risk"
        }
    }

    /// One repetition: frames [start, end), its score, the points each rule took, and the injected faults.
    public struct Rep: Codable, Sendable {
        public var start: Int
        public var end: Int
        public var formScore: Double
        public var deductions: [String: Double]
        public var faults: [String]

        enum CodingKeys: String, CodingKey {
            case start, end, deductions, faults
            case formScore = "form_score"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, source, generator, seed, index, fps, frames, exercise, quality, subject, camera, faults, truth, noise
        case plannedQuality = "planned_quality"
    }

    init(id: String, seed: UInt64, index: Int, fps: Double, frames: Int, exercise: Exercise, quality: QualityLevel,
         subject: Subject, camera: Camera, faults: FaultSeverities, reps: [RepTruth], angles: [[Double]],
         risks: [[Double]], noise: DetectorNoise) {
        func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
        self.id = id
        self.seed = seed
        self.index = index
        self.fps = fps
        self.frames = frames
        self.exercise = exercise
        self.quality = quality
        self.subject = subject
        self.camera = camera
        self.faults = faults.values.filter { $0.value > 0 }.mapValues(round3)
        let repTruth = reps.map { rep in
            Rep(start: rep.range.lowerBound, end: rep.range.upperBound, formScore: round3(rep.assessment.score),
                deductions: rep.assessment.deductions.mapValues(round3),
                faults: rep.faults.values.filter { $0.value >= 0.3 }.keys.sorted())
        }
        truth = Truth(formScore: round3(repTruth.map(\.formScore).reduce(0, +) / Double(max(1, repTruth.count))),
                      reps: repTruth, jointAngleNames: JointAngle.allCases.map { "\($0)" },
                      jointAngles: angles.map { $0.map(round3) }, riskJoints: RiskModel.Joint.allCases.map(\.rawValue),
                      risk: risks.map { $0.map(round3) }, overallRisk: risks.map { round3($0.max() ?? 0) })
        self.noise = ["world_jitter_m": noise.worldJitter, "image_jitter": noise.imageJitter,
                      "dropout_rate": noise.dropoutRate, "missed_frame_rate": noise.missedFrameRate]
    }
}
