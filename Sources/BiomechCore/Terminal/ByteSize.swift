/// Parses sizes given on command lines: `1024`, `500M`, `2G`, `1T` (binary units).
public enum ByteSize {
    /// The bytes `text` stands for, or nil unless it is a finite size from 0 up to `Int64.max`.
    ///
    /// `inf`, `nan`, negative sizes and sizes too large for an `Int64` (`1e30`, `99999999T`) are nil,
    /// so callers refuse them with a message instead of trapping on the conversion.
    public static func parse(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = text.uppercased()
        if digits.hasSuffix("IB") { digits.removeLast(2) } else if digits.hasSuffix("B") { digits.removeLast() }
        var factor: Int64 = 1
        if let last = digits.last, let unit = units[last] {
            factor = unit
            digits.removeLast()
        }
        guard let value = Double(digits), value.isFinite, value >= 0 else { return nil }
        let bytes = value * Double(factor)
        // Double(Int64.max) rounds up to 2^63, which no Int64 holds: stay strictly below it.
        guard bytes < Double(Int64.max) else { return nil }
        return Int64(bytes)
    }
}
