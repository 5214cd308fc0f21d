import Model

/// The four figures of the model's heads over a set of windows, overall and per exercise.
///
/// Each figure counts only the windows whose label for that head is known. `metrics.json` uses
/// these key names (docs/TRAINING.md, "Metrics").
public struct EvaluationMetrics: Codable, Sendable, Equatable {
    /// Mean absolute error of the form score, points (0-100).
    public var formMAE: Double?
    /// Mean absolute error over the six joint angles, degrees.
    public var angleMAEDegrees: Double?
    /// Share of windows whose most likely class is the labelled one.
    public var exerciseAccuracy: Double?
    /// Mean absolute error of the risk score, points (0-100).
    public var riskMAE: Double?
    /// Windows evaluated, and how many had each label.
    public var windows: Int
    public var counts: [String: Int]
    /// `confusion[label][predicted]`, in `classNames` order.
    public var confusion: [[Int]]
    public var classNames: [String]
    /// The same figures for the windows of each exercise (by label).
    public var perExercise: [String: PerExercise]

    public struct PerExercise: Codable, Sendable, Equatable {
        public var windows: Int
        public var formMAE: Double?, angleMAEDegrees: Double?, exerciseAccuracy: Double?, riskMAE: Double?
        enum CodingKeys: String, CodingKey {
            case windows
            case formMAE = "form_mae", angleMAEDegrees = "angle_mae_deg", exerciseAccuracy = "exercise_accuracy", riskMAE = "risk_mae"
        }
    }

    enum CodingKeys: String, CodingKey {
        case windows, counts, confusion
        case formMAE = "form_mae", angleMAEDegrees = "angle_mae_deg", exerciseAccuracy = "exercise_accuracy", riskMAE = "risk_mae"
        case classNames = "class_names", perExercise = "per_exercise"
    }
}

/// Sums predictions against labels batch by batch, then gives `EvaluationMetrics`.
public struct MetricsAccumulator: Sendable {
    struct Sums: Sendable {
        var windows = 0
        var form = 0.0, formN = 0, angle = 0.0, angleN = 0, correct = 0, exerciseN = 0, risk = 0.0, riskN = 0
        func mean(_ sum: Double, _ n: Int) -> Double? { n > 0 ? sum / Double(n) : nil }
    }
    public let classNames: [String]
    private var all = Sums()
    private var byClass: [Sums]
    private var confusion: [[Int]]

    public init(classNames: [String]) {
        self.classNames = classNames
        byClass = Array(repeating: Sums(), count: classNames.count)
        confusion = Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
    }

    /// Adds a batch: per window the predicted form, six angles, class logits and risk, and its labels.
    public mutating func add(form: [Float], angles: [Float], logits: [Float], risk: [Float], labels: Labels) {
        let k = classNames.count
        for i in labels.form.indices {
            var s = Sums()
            s.windows = 1
            if !labels.form[i].isNaN { s.form = abs(Double(form[i]) - labels.form[i]); s.formN = 1 }
            for a in 0..<6 where !labels.angles[i * 6 + a].isNaN {
                s.angle += abs(Double(angles[i * 6 + a]) - labels.angles[i * 6 + a])
                s.angleN += 1
            }
            let label = labels.exercise[i]
            if label >= 0 {
                let row = logits[(i * k)..<((i + 1) * k)]
                let predicted = row.indices.max { row[$0] < row[$1] }! - i * k
                confusion[label][predicted] += 1
                s.exerciseN = 1
                s.correct = predicted == label ? 1 : 0
            }
            if !labels.risk[i].isNaN { s.risk = abs(Double(risk[i]) - labels.risk[i]); s.riskN = 1 }
            Self.merge(&all, s)
            if label >= 0 { Self.merge(&byClass[label], s) }
        }
    }

    private static func merge(_ a: inout Sums, _ b: Sums) {
        a.windows += b.windows; a.form += b.form; a.formN += b.formN; a.angle += b.angle; a.angleN += b.angleN
        a.correct += b.correct; a.exerciseN += b.exerciseN; a.risk += b.risk; a.riskN += b.riskN
    }

    public var metrics: EvaluationMetrics {
        var perExercise: [String: EvaluationMetrics.PerExercise] = [:]
        for (c, s) in byClass.enumerated() where s.windows > 0 {
            perExercise[classNames[c]] = .init(windows: s.windows, formMAE: s.mean(s.form, s.formN), angleMAEDegrees: s.mean(s.angle, s.angleN),
                                               exerciseAccuracy: s.mean(Double(s.correct), s.exerciseN), riskMAE: s.mean(s.risk, s.riskN))
        }
        return EvaluationMetrics(formMAE: all.mean(all.form, all.formN), angleMAEDegrees: all.mean(all.angle, all.angleN),
                                 exerciseAccuracy: all.mean(Double(all.correct), all.exerciseN), riskMAE: all.mean(all.risk, all.riskN),
                                 windows: all.windows,
                                 counts: ["form": all.formN, "angles": all.angleN / 6, "exercise": all.exerciseN, "risk": all.riskN],
                                 confusion: confusion, classNames: classNames, perExercise: perExercise)
    }
}
