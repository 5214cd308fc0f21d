import Foundation

/// Maps the expert error labels of public datasets onto the project's fault names (docs/LABELS.md,
/// "Expert labels of public datasets"); the table there is checked against this one.
public enum ExpertFaults {
    /// (dataset, label pattern, fault or nil when no project fault matches). Patterns are
    /// case-insensitive regexes on the label as the dataset writes it; the first match counts.
    public static let table: [(dataset: String, pattern: String, fault: String?)] = [
        ("alex-gym-1", "feet out", nil),                              // stance width and toe angle: not scored
        ("alex-gym-1", "feet flat|heels?", "heel_lift"),
        ("alex-gym-1", "simultan", nil),                              // hip-knee timing: not scored
        ("alex-gym-1", "hips backwards?", nil),                       // hip hinge direction: not scored
        ("alex-gym-1", "lower back|back (neutral|neural)|spine", "lumbar_flexion"),
        ("alex-gym-1", "lower than (the )?knees?|depth|parallel", "shallow_depth"),
        ("alex-gym-1", "knees? (in|cav|valgus)", "knee_valgus"),
        ("alex-gym-1", "torso|trunk|upright|lean", "forward_lean"),
        ("fitness-aqa", "knees_inward", "knee_valgus"),
        ("fitness-aqa", "knees_forward", nil),                        // knees over toes: not a fault here
        ("fitness-aqa", "shallow", "shallow_depth"),
        ("fitness-aqa", "elbows", "elbow_flare"),
        ("fitness-aqa", "knees", nil),                                // overhead press: leg drive, not scored
    ]

    /// The project fault an expert label of `dataset` stands for, nil when none does or the label is unknown.
    public static func fault(dataset: String, label: String) -> String? {
        let range = NSRange(label.startIndex..., in: label)
        for entry in table where entry.dataset == dataset {
            guard let regex = try? NSRegularExpression(pattern: entry.pattern, options: [.caseInsensitive]) else { continue }
            if regex.firstMatch(in: label, range: range) != nil { return entry.fault }
        }
        return nil
    }
}
