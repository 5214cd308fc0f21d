/// The colours of the risk bands (docs/LABELS.md, "Risk score"), the one place every picture takes them from.
///
/// Green below 30, yellow from 30 to below 60, orange from 60 to below 80, red from 80; a landmark with no
/// risk score (nil or NaN) is drawn in `neutral`. The colours are saturated so they stand out on video.
public enum RiskColors {
    public static let green = ChartStyle.hex(0x2ECC40)
    public static let yellow = ChartStyle.hex(0xFFD500)
    public static let orange = ChartStyle.hex(0xFF8A00)
    public static let red = ChartStyle.hex(0xE8202A)
    /// For landmarks without a risk score.
    public static let neutral = RGB(1, 1, 1)

    /// The lower edge of each band above green, with its colour, lowest first.
    static let bands: [(lower: Double, color: RGB)] = [(0, green), (30, yellow), (60, orange), (80, red)]

    /// The band colour of a risk score (0-100; values outside count as the nearest band), `neutral` for nil or NaN.
    public static func color(forRisk risk: Double?) -> RGB {
        guard let risk, !risk.isNaN else { return neutral }
        return bands.last { risk >= $0.lower }?.color ?? green
    }
}

/// The colours of quality levels for scores (0-100): excellent >= 85, good 70-85, fair 50-70, poor < 50.
///
/// They are the first four colours of the charts' Okabe-Ito palette, which the dataset report also uses for
/// the quality levels: bluish green (excellent), sky blue (good), orange (fair), vermillion (poor).
public enum QualityColors {
    /// Levels from best to worst: name, lowest score and colour.
    static let levels: [(name: String, lower: Double, color: RGB)] = [
        ("excellent", 85, ChartStyle.palette[0]), ("good", 70, ChartStyle.palette[1]),
        ("fair", 50, ChartStyle.palette[2]), ("poor", -Double.infinity, ChartStyle.palette[3]),
    ]

    /// The colour of a score's quality level; NaN counts as poor.
    public static func color(forScore score: Double) -> RGB {
        levels[level(score)].color
    }

    /// The index in `levels` of a score's level.
    static func level(_ score: Double) -> Int {
        levels.firstIndex { score >= $0.lower } ?? levels.count - 1
    }

    /// Legend entries, e.g. "excellent ≥ 85", "good 70-85", "fair 50-70", "poor < 50".
    static var legend: [String] {
        levels.indices.map { index in
            let level = levels[index]
            if index == 0 { return "\(level.name) ≥ \(Int(level.lower))" }
            if index == levels.count - 1 { return "\(level.name) < \(Int(levels[index - 1].lower))" }
            return "\(level.name) \(Int(level.lower))-\(Int(levels[index - 1].lower))"
        }
    }
}
