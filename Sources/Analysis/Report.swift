/// The analysis report, `biomech-analyze --json` (schema: docs/REPORT.md).
///
/// Times are seconds from the start of the input; angles degrees; scores and risks 0-100.
public struct Report: Codable, Sendable, Equatable {
    public static let format = "biomech-report"
    public static let version = 1

    public var format = Report.format
    public var version = Report.version
    public var overallScore: Double
    public var exerciseType: ExerciseType
    public var riskAssessment: RiskAssessment
    public var jointAnalysis: [JointSummary]
    public var reps: Reps
    public var recommendations: [Recommendation]
    public var timeline: [TimelineEntry]
    public var provenance: Provenance

    enum CodingKeys: String, CodingKey {
        case format, version, reps, recommendations, timeline, provenance
        case overallScore = "overall_score", exerciseType = "exercise_type", riskAssessment = "risk_assessment"
        case jointAnalysis = "joint_analysis"
    }

    /// The exercise analysed, and what the model made of it.
    public struct ExerciseType: Codable, Sendable, Equatable {
        /// The exercise the report is about: the model's class, or the one `--exercise` forced.
        public var name: String
        /// `model` or `forced`.
        public var source: String
        /// The model's probability for `name` (nil when `name` is not one of its classes).
        public var confidence: Double?
        /// The model's own top class and its probability, whatever was forced.
        public var model: ClassProbability
        /// Every class's mean probability over the windows.
        public var probabilities: [String: Double]
    }

    public struct ClassProbability: Codable, Sendable, Equatable {
        public var name: String
        public var confidence: Double
    }

    public struct RiskAssessment: Codable, Sendable, Equatable {
        /// low, moderate, high or very_high: the colour band of `score` (docs/LABELS.md).
        public var level: String
        public var band: String
        /// The larger of `model_score` and `torque_score`.
        public var score: Double
        /// The model's risk head, the highest window.
        public var modelScore: Double
        /// The torque model's largest joint risk, with this body mass and load (5-frame median).
        public var torqueScore: Double
        public var bodyMassKg: Double
        public var loadKg: Double
        /// What fired, as plain sentences tied to rules and reps, worst first.
        public var concerns: [Concern]

        enum CodingKeys: String, CodingKey {
            case level, band, score, concerns
            case modelScore = "model_score", torqueScore = "torque_score", bodyMassKg = "body_mass_kg", loadKg = "load_kg"
        }
    }

    public struct JointSummary: Codable, Sendable, Equatable {
        /// e.g. `left_knee`, `trunk`.
        public var joint: String
        /// The angle at the deepest point of the movement (the main joint's extreme, over all reps).
        public var angleAtDeepest: Double?
        /// Largest minus smallest angle (5-frame median).
        public var rangeOfMotion: Double?
        public var minAngle: Double?
        public var maxAngle: Double?
        /// The torque model's peak risk for this joint; nil for joints it does not score (ankles).
        public var peakRisk: Double?
        public var peakRiskTime: Double?

        enum CodingKeys: String, CodingKey {
            case joint
            case angleAtDeepest = "angle_at_deepest", rangeOfMotion = "range_of_motion", minAngle = "min_angle", maxAngle = "max_angle"
            case peakRisk = "peak_risk", peakRiskTime = "peak_risk_time"
        }
    }

    public struct Reps: Codable, Sendable, Equatable {
        public var count: Int
        /// The joint angle the reps were counted on, e.g. `knee`.
        public var mainJoint: String
        public var items: [Rep]

        enum CodingKeys: String, CodingKey {
            case count, items
            case mainJoint = "main_joint"
        }
    }

    public struct Rep: Codable, Sendable, Equatable {
        /// 1-based.
        public var number: Int
        public var start: Double, end: Double
        /// When the main joint was at its extreme.
        public var bottom: Double
        /// The main joint's angle there.
        public var depth: Double
        /// The model's form score over the windows covering the rep (weighted by overlap).
        public var score: Double?
        /// The rule-based score of docs/LABELS.md for the rep; nil outside the model's exercises.
        public var ruleScore: Double?
        /// Rule ids that fired in this rep.
        public var faults: [String]
        public var peakRisk: Double

        enum CodingKeys: String, CodingKey {
            case number, start, end, bottom, depth, score, faults
            case ruleScore = "rule_score", peakRisk = "peak_risk"
        }
    }

    /// One finding, tied to the rule that fired and when.
    public struct Concern: Codable, Sendable, Equatable {
        /// A form rule id (e.g. `knee_valgus`) or `risk_<joint>` / `risk_model`.
        public var id: String
        public var kind: String
        public var text: String
        /// 1-based rep numbers; empty when not tied to reps.
        public var reps: [Int]
        /// Start and end of each occurrence.
        public var times: [[Double]]
        /// The worst occurrence: rules 0-1 (fraction of the rule's penalty), risks 0-100.
        public var severity: Double
    }

    public struct Recommendation: Codable, Sendable, Equatable {
        public var id: String
        public var cue: String
        /// The concern ids that chose it.
        public var because: [String]
    }

    public struct TimelineEntry: Codable, Sendable, Equatable {
        public var window: Int
        public var start: Double, end: Double
        public var form: Double
        public var risk: Double
        public var exercise: String
        public var confidence: Double
        /// The angle head, in `JointAngle` order (left/right knee, hip, elbow).
        public var angles: [Double]
    }

    public struct Provenance: Codable, Sendable, Equatable {
        public var tool: String
        public var checkpoint: String
        public var checkpointSHA256: String
        public var checkpointStep: Int
        public var input: String
        public var inputKind: String
        /// nil for a live device.
        public var inputSHA256: String?
        public var framesAnalysed: Int
        public var detectedFrames: Int
        public var detectionRate: Double
        public var fps: Double
        public var durationSeconds: Double
        public var width: Int?, height: Int?
        public var windows: Int
        public var windowsDropped: [String: Int]
        public var window: Int, stride: Int
        public var coords: String
        public var pose: String?

        enum CodingKeys: String, CodingKey {
            case tool, checkpoint, input, fps, width, height, windows, window, stride, coords, pose
            case checkpointSHA256 = "checkpoint_sha256", checkpointStep = "checkpoint_step", inputKind = "input_kind"
            case inputSHA256 = "input_sha256", framesAnalysed = "frames_analysed", detectedFrames = "detected_frames"
            case detectionRate = "detection_rate", durationSeconds = "duration_seconds", windowsDropped = "windows_dropped"
        }
    }
}
