/// The words of the report: what each rule's concern says, and the cue each concern calls for.
///
/// docs/REPORT.md, "Concerns and recommendations", lists the same tables.
public enum ConcernTable {
    /// A form rule fires in a rep when it costs at least this share of its penalty (docs/LABELS.md):
    /// half-way from `ok` to `worst`, so the detector's jitter on a correct rep stays quiet
    /// (measured on synthetic sequences with detector noise: docs/REPORT.md).
    public static let ruleFraction = 0.5
    /// A joint's torque risk, or the model's, becomes a concern from the orange band (60) up.
    public static let riskThreshold = 60.0

    /// What a rule's concern says, and where in the rep it is seen.
    public static func phrase(rule: String) -> (what: String, when: String) {
        switch rule {
        case "shallow_depth": return ("depth short of the target", "in")
        case "knee_valgus": return ("knee valgus (knees caving in)", "at the bottom of")
        case "forward_lean": return ("too much forward trunk lean", "at the bottom of")
        case "back_lean": return ("leaning back under the bar", "in")
        case "asymmetry": return ("left-right asymmetry of the main joint", "in")
        case "heel_lift": return ("heels lifting off the floor", "in")
        case "fast_eccentric": return ("a rushed descent", "in")
        case "lumbar_flexion": return ("a rounded lower back (shoulders far ahead of the bar)", "at the bottom of")
        case "bar_drift": return ("the bar drifting off its line", "in")
        case "no_lockout": return ("no full lockout", "at the top of")
        case "elbow_flare": return ("elbows flaring out", "at the bottom of")
        default: return (rule.replacingOccurrences(of: "_", with: " "), "in")
        }
    }

    /// The cue for a concern id: rule ids, `risk_<joint kind>` and `risk_model`; nil for none.
    public static func cue(for concern: String) -> (id: String, cue: String)? {
        switch concern {
        case "shallow_depth": return ("depth", "Sit deeper: aim for thighs at least parallel to the floor, lighter if that is what it takes.")
        case "knee_valgus": return ("knees_out", "Push the knees out over the toes on the way down and up; widen the stance a little if they still cave.")
        case "forward_lean": return ("chest_up", "Keep the chest up and brace the trunk; sit the hips down rather than back.")
        case "back_lean": return ("ribs_down", "Squeeze the glutes and keep the ribs down, so the bar goes up without leaning back.")
        case "asymmetry": return ("even_sides", "Move both sides together: check the stance and grip are even, and film from the front to see the weaker side.")
        case "heel_lift": return ("heels_down", "Keep the whole foot on the floor: weight mid-foot, and work on ankle mobility or raise the heels slightly.")
        case "fast_eccentric": return ("slow_down", "Control the descent: take about one to two seconds on the way down.")
        case "lumbar_flexion": return ("neutral_spine", "Brace and keep the back flat: pull the slack out of the bar and keep it close to the shins.")
        case "bar_drift": return ("bar_path", "Keep the bar over the mid-foot (or over the shoulders when pressing) in a straight line.")
        case "no_lockout": return ("lock_out", "Finish every rep: stand or press all the way to a full lockout.")
        case "elbow_flare": return ("tuck_elbows", "Tuck the elbows to about 45-60 degrees from the body instead of flaring them out.")
        case "risk_knee": return ("knee_load", "Reduce the load or the depth until the knee load stays out of the orange band, and build up gradually.")
        case "risk_hip", "risk_trunk": return ("back_load", "Reduce the load and keep it close to the body: the lower back and hips carry the most leverage.")
        case "risk_shoulder": return ("shoulder_load", "Lighten the load and keep the elbows under the weight to shorten the lever on the shoulders.")
        case "risk_elbow": return ("elbow_load", "Lighten the load and keep the forearms vertical under the weight.")
        case "risk_model": return ("review_set", "The model rates this set risky: lower the load and film another set to compare.")
        default: return nil
        }
    }

    /// "1", "1 and 2", "1, 2 and 4".
    public static func list(_ numbers: [Int]) -> String {
        let words = numbers.map(String.init)
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " and " + words.last!
    }
}
