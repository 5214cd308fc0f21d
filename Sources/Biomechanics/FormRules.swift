/// One rule of the form score: a measurement, where penalties start, where they are full, and how much.
///
/// The penalty grows linearly from 0 at `ok` to `penalty` at `worst` (either direction), so a
/// small fault costs a little and a gross one costs the rule's whole weight.
public struct FormRule: Sendable {
    public var id: String
    public var feature: KeyPath<FormFeatures, Double> & Sendable
    public var unit: String
    public var ok: Double
    public var worst: Double
    public var penalty: Double

    /// The points this rule deducts for `features`; 0 when the feature could not be measured.
    public func deduction(_ features: FormFeatures) -> Double {
        let value = features[keyPath: feature]
        guard value.isFinite else { return 0 }
        let fraction = (value - ok) / (worst - ok)
        return penalty * min(1, max(0, fraction))
    }
}

/// The rule table of each exercise; docs/LABELS.md lists the same table.
public enum FormRules {
    public static func rules(for exercise: Exercise) -> [FormRule] {
        switch exercise {
        case .squat: return [
            FormRule(id: "shallow_depth", feature: \.kneeDepth, unit: "deg", ok: 80, worst: 120, penalty: 30),
            FormRule(id: "knee_valgus", feature: \.kneeWidthRatio, unit: "ratio", ok: 0.95, worst: 0.65, penalty: 30),
            FormRule(id: "forward_lean", feature: \.trunkLean, unit: "deg", ok: 40, worst: 65, penalty: 30),
            FormRule(id: "asymmetry", feature: \.asymmetry, unit: "deg", ok: 4, worst: 18, penalty: 25),
            FormRule(id: "heel_lift", feature: \.heelLift, unit: "cm", ok: 0.5, worst: 5, penalty: 25),
            FormRule(id: "fast_eccentric", feature: \.eccentricSeconds, unit: "s", ok: 0.8, worst: 0.35, penalty: 25),
        ]
        case .deadlift: return [
            FormRule(id: "lumbar_flexion", feature: \.shouldersAheadOfBar, unit: "cm", ok: 7, worst: 15, penalty: 35),
            FormRule(id: "forward_lean", feature: \.trunkLean, unit: "deg", ok: 65, worst: 85, penalty: 15),
            FormRule(id: "bar_drift", feature: \.barDrift, unit: "cm", ok: 3, worst: 15, penalty: 30),
            FormRule(id: "no_lockout", feature: \.lockout, unit: "deg", ok: 160, worst: 140, penalty: 15),
            FormRule(id: "asymmetry", feature: \.asymmetry, unit: "deg", ok: 3, worst: 15, penalty: 25),
            FormRule(id: "fast_eccentric", feature: \.eccentricSeconds, unit: "s", ok: 0.8, worst: 0.35, penalty: 25),
        ]
        case .benchPress: return [
            FormRule(id: "shallow_depth", feature: \.elbowDepth, unit: "deg", ok: 50, worst: 90, penalty: 30),
            FormRule(id: "elbow_flare", feature: \.elbowFlare, unit: "deg", ok: 50, worst: 80, penalty: 30),
            FormRule(id: "no_lockout", feature: \.lockout, unit: "deg", ok: 155, worst: 135, penalty: 15),
            FormRule(id: "bar_drift", feature: \.barDrift, unit: "cm", ok: 10, worst: 22, penalty: 30),
            FormRule(id: "asymmetry", feature: \.asymmetry, unit: "deg", ok: 3, worst: 14, penalty: 25),
            FormRule(id: "fast_eccentric", feature: \.eccentricSeconds, unit: "s", ok: 0.8, worst: 0.35, penalty: 25),
        ]
        case .overheadPress: return [
            FormRule(id: "no_lockout", feature: \.lockout, unit: "deg", ok: 150, worst: 130, penalty: 15),
            FormRule(id: "elbow_flare", feature: \.elbowFlare, unit: "deg", ok: 25, worst: 45, penalty: 30),
            FormRule(id: "back_lean", feature: \.trunkLean, unit: "deg", ok: 6, worst: 26, penalty: 30),
            FormRule(id: "bar_drift", feature: \.barDrift, unit: "cm", ok: 9, worst: 19, penalty: 30),
            FormRule(id: "asymmetry", feature: \.asymmetry, unit: "deg", ok: 3, worst: 20, penalty: 25),
            FormRule(id: "fast_eccentric", feature: \.eccentricSeconds, unit: "s", ok: 0.8, worst: 0.35, penalty: 25),
        ]
        case .lunge: return [
            FormRule(id: "shallow_depth", feature: \.kneeDepth, unit: "deg", ok: 85, worst: 120, penalty: 30),
            FormRule(id: "knee_valgus", feature: \.frontKneeDrift, unit: "cm", ok: 3, worst: 12, penalty: 30),
            FormRule(id: "forward_lean", feature: \.trunkLean, unit: "deg", ok: 12, worst: 38, penalty: 30),
            FormRule(id: "fast_eccentric", feature: \.eccentricSeconds, unit: "s", ok: 0.8, worst: 0.35, penalty: 25),
        ]
        }
    }
}

/// A rep's form score and what it lost points for.
public struct FormAssessment: Codable, Sendable, Equatable {
    /// 0-100; 100 minus the deductions.
    public var score: Double
    /// Points deducted per rule id (only rules that deducted something).
    public var deductions: [String: Double]
    public var features: FormFeatures

    /// The quality level the score falls in.
    public var quality: QualityLevel { .level(forScore: score) }
}

/// The rule-based form scorer of docs/LABELS.md.
public enum FormScorer {
    /// Scores one repetition (world landmarks per frame).
    public static func score(rep poses: [[Vec3]], exercise: Exercise, fps: Double) -> FormAssessment {
        let features = FormFeatures.measure(poses, exercise: exercise, fps: fps)
        var deductions: [String: Double] = [:]
        for rule in FormRules.rules(for: exercise) {
            let points = rule.deduction(features)
            if points > 0 { deductions[rule.id] = points }
        }
        let score = max(0, 100 - deductions.values.reduce(0, +))
        return FormAssessment(score: score, deductions: deductions, features: features)
    }
}
