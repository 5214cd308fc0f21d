import Biomechanics

/// A form fault the generator can inject, with a severity from 0 (absent) to 1 (gross).
public enum Fault: String, CaseIterable, Codable, Sendable {
    case kneeValgus = "knee_valgus", shallowDepth = "shallow_depth", forwardLean = "forward_lean"
    case lumbarFlexion = "lumbar_flexion", heelLift = "heel_lift", asymmetry
    case elbowFlare = "elbow_flare", barDrift = "bar_drift", fastEccentric = "fast_eccentric"

    /// The faults that occur in `exercise` (for the overhead press, `forward_lean` is leaning back).
    public static func faults(for exercise: Exercise) -> [Fault] {
        switch exercise {
        case .squat: return [.kneeValgus, .shallowDepth, .forwardLean, .heelLift, .asymmetry, .fastEccentric]
        case .deadlift: return [.lumbarFlexion, .barDrift, .asymmetry, .fastEccentric]
        case .benchPress: return [.elbowFlare, .shallowDepth, .barDrift, .asymmetry, .fastEccentric]
        case .overheadPress: return [.elbowFlare, .forwardLean, .barDrift, .asymmetry, .fastEccentric]
        case .lunge: return [.kneeValgus, .shallowDepth, .forwardLean, .fastEccentric]
        }
    }
}

/// How severe each injected fault is in one sequence (0 when absent).
public struct FaultSeverities: Codable, Sendable, Equatable {
    public var values: [String: Double] = [:]
    public init() {}
    public subscript(_ fault: Fault) -> Double {
        get { values[fault.rawValue] ?? 0 }
        set { values[fault.rawValue] = newValue }
    }
}
