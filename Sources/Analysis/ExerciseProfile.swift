import Biomechanics

/// What analysis needs to know about an exercise: the joint whose angle cycle counts reps, which
/// way a rep goes, and the model class and rules that apply (docs/REPORT.md, "Exercises").
public struct ExerciseProfile: Sendable, Equatable {
    /// The catalog's canonical name, e.g. `squat`, `jumping_jack`.
    public var name: String
    /// The model class, when the exercise is one.
    public var modelClass: Exercise?
    public var mainJoint: BodyAngle.Kind
    /// True when a rep is a rise of the main angle (arms up in a jumping jack); else a dip (flexion).
    public var repIsRise: Bool

    /// The profile of a canonical name, nil when it has none (names come from the catalog vocabulary).
    public static func named(_ name: String) -> ExerciseProfile? {
        guard let (joint, rise) = table[name] else { return nil }
        return ExerciseProfile(name: name, modelClass: Exercise(rawValue: name), mainJoint: joint, repIsRise: rise)
    }

    /// The profile of a model class.
    public static func of(_ exercise: Exercise) -> ExerciseProfile { named(exercise.rawValue)! }

    /// Main joint and direction for every exercise of the catalog vocabulary (catalog.sqlite.sql).
    static let table: [String: (BodyAngle.Kind, Bool)] = [
        "squat": (.knee, false), "deadlift": (.hip, false), "bench_press": (.elbow, false),
        "overhead_press": (.elbow, false), "lunge": (.knee, false), "pushup": (.elbow, false),
        "pullup": (.elbow, false), "situp": (.hip, false), "plank": (.hip, false),
        "jumping_jack": (.shoulder, true), "barbell_row": (.elbow, false), "bicep_curl": (.elbow, false),
        "tricep_extension": (.elbow, false), "lateral_raise": (.shoulder, true), "mountain_climber": (.hip, false),
    ]

    /// The main joint's signal per frame: the mean of both sides, or for a lunge and a mountain
    /// climber (one leg works at a time) the more flexed side.
    public func mainSignal(_ angles: BodyAngleSeries) -> [Double] {
        let left = angles.series(BodyAngle(kind: mainJoint, side: .left)), right = angles.series(BodyAngle(kind: mainJoint, side: .right))
        let oneSided = name == "lunge" || name == "mountain_climber"
        return zip(left, right).map { l, r in
            switch (l.isFinite, r.isFinite) {
            case (true, true): return oneSided ? min(l, r) : (l + r) / 2
            case (true, false): return l
            case (false, true): return r
            default: return .nan
            }
        }
    }
}
