import Foundation

/// A SQLite value: one of the five storage classes.
///
/// Values read back carry the column's storage class as SQLite reports it (`sqlite3_column_type`), so a
/// column declared `REAL` may still hold `.integer` (SQLite stores integral reals compactly) and
/// `double` converts for that reason. SQLite stores a NaN bound as `.real(.nan)` as NULL; and as with
/// `Double`, `.real(.nan) != .real(.nan)`.
public enum SQLValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ value: Int) { self = .integer(Int64(value)) }
    public init(_ value: Double) { self = .real(value) }
    /// 1 for true, 0 for false: SQLite has no boolean type.
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Double?) { self = value.map { .real($0) } ?? .null }

    /// The integer, when this is `.integer` and fits an `Int`; reals and text are not converted.
    public var int: Int? {
        if case .integer(let value) = self { return Int(exactly: value) }
        return nil
    }

    /// The number, when this is `.real` or `.integer` (converted).
    public var double: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    /// The text, when this is `.text`.
    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The value as text for tables and CSV: NULL as an empty string, reals with at most 6 decimals
    /// (trailing zeros trimmed), blobs as `x'0a1b'`.
    public var display: String {
        switch self {
        case .null: return ""
        case .integer(let value): return String(value)
        case .real(let value): return Self.display(value)
        case .text(let value): return value
        case .blob(let bytes):
            let digits = Array("0123456789abcdef")
            var hex = ""
            hex.reserveCapacity(bytes.count * 2)
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0f)])
            }
            return "x'\(hex)'"
        }
    }

    private static func display(_ value: Double) -> String {
        // Fixed notation would print tiny values as 0 and huge ones with dozens of digits: keep Swift's form there.
        guard value.isFinite, value == 0 || (abs(value) >= 1e-6 && abs(value) < 1e15) else { return "\(value)" }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(nilLiteral: ()) { self = .null }
}
