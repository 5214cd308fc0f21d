/// Parses sizes given on command lines: `1024`, `500M`, `2G`, `1T` (binary units).
public enum ByteSize {
    public static func parse(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = text.uppercased()
        if digits.hasSuffix("IB") { digits.removeLast(2) } else if digits.hasSuffix("B") { digits.removeLast() }
        var factor: Int64 = 1
        if let last = digits.last, let unit = units[last] {
            factor = unit
            digits.removeLast()
        }
        guard let value = Double(digits), value >= 0 else { return nil }
        return Int64(value * Double(factor))
    }
}
