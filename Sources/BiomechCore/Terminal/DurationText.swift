/// Parses durations given on command lines: `30` or `30s`, `5m`, `1.5h`, `2d`.
public enum DurationText {
    /// The longest duration `parse` accepts by default: one week.
    public static let defaultMaximum: Double = 7 * 86_400

    /// The seconds `text` stands for, or nil unless it is a finite duration from 0 to `maximum` seconds.
    ///
    /// A bare number counts seconds. `inf`, `nan`, negative and over-long durations are nil, so
    /// every later conversion to whole seconds (`Int(...)`) is safe.
    public static func parse(_ text: String, maximum: Double = defaultMaximum) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var digits = text.lowercased()
        var factor = 1.0
        if let last = digits.last, let unit = units[last] {
            factor = unit
            digits.removeLast()
        }
        guard let value = Double(digits), value.isFinite, value >= 0 else { return nil }
        let seconds = value * factor
        guard seconds.isFinite, seconds <= maximum else { return nil }
        return seconds
    }
}
