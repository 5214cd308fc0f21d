/// The model's exercise classes, in the order of its class head.
public enum Exercise: String, CaseIterable, Codable, Sendable {
    case squat, deadlift, benchPress = "bench_press", overheadPress = "overhead_press", lunge

    /// The class index in the model's exercise head.
    public var classIndex: Int { Self.allCases.firstIndex(of: self)! }
}

/// A coarse quality word, as real datasets give it, and the form-score range it stands for.
public enum QualityLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case excellent, good, fair, poor

    /// The form scores (0-100) this level covers: excellent 85-100, good 70-85, fair 50-70, poor 0-50.
    public var scoreRange: ClosedRange<Double> {
        switch self {
        case .excellent: return 85...100
        case .good: return 70...85
        case .fair: return 50...70
        case .poor: return 0...50
        }
    }

    /// The level whose range holds `score` (boundaries belong to the better level).
    public static func level(forScore score: Double) -> QualityLevel {
        allCases.first { score >= $0.scoreRange.lowerBound } ?? .poor
    }

    public static func < (a: QualityLevel, b: QualityLevel) -> Bool {
        allCases.firstIndex(of: a)! > allCases.firstIndex(of: b)!
    }
}

/// The colour band of a risk score, used in every report and picture.
public enum RiskBand: String, Codable, Sendable {
    case green, yellow, orange, red

    /// green < 30, yellow 30-60, orange 60-80, red >= 80.
    public init(risk: Double) {
        switch risk {
        case ..<30: self = .green
        case ..<60: self = .yellow
        case ..<80: self = .orange
        default: self = .red
        }
    }
}
