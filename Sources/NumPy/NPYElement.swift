/// The dtypes biomech reads and writes: little-endian numbers, bytes and booleans.
///
/// Each case's `descr` is the exact string `np.save` writes in the header, so files biomech
/// writes stay byte-identical to numpy's and a dtype is recognised by string equality.
public enum NPYDType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32 = "<f4"
    case float64 = "<f8"
    case int32 = "<i4"
    case int64 = "<i8"
    case uint8 = "|u1"
    case bool = "|b1"

    /// The dtype whose header string is exactly `descr`, or nil for every other dtype.
    public init?(descr: String) { self.init(rawValue: descr) }

    /// The header string, such as `<f4`.
    public var descr: String { rawValue }

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .uint8, .bool: return 1
        }
    }

    /// The Swift element type's name, for error messages that suggest how to read a file.
    public var swiftName: String {
        switch self {
        case .float32: return "Float"
        case .float64: return "Double"
        case .int32: return "Int32"
        case .int64: return "Int64"
        case .uint8: return "UInt8"
        case .bool: return "Bool"
        }
    }

    /// The quoted descr, as error messages show it: `'<f4'`.
    public var description: String { "'\(rawValue)'" }
}

/// A Swift type whose in-memory layout on a little-endian host is exactly one `.npy` dtype.
///
/// Conforming types are copied to and from files byte for byte, so only the six types below
/// conform; the protocol is not meant for conformances outside this module.
public protocol NPYElement: BitwiseCopyable, Sendable, Equatable {
    /// The dtype of this type's elements in a file.
    static var dtype: NPYDType { get }

    /// The index of the first byte in `bytes` that is not a valid value of this type, if any.
    ///
    /// Every bit pattern is a valid number, so only `Bool` (0 or 1 only) checks anything.
    static func firstInvalidByte(in bytes: UnsafeRawBufferPointer) -> Int?
}

extension NPYElement {
    public static func firstInvalidByte(in bytes: UnsafeRawBufferPointer) -> Int? { nil }
}

extension Float: NPYElement { public static var dtype: NPYDType { .float32 } }
extension Double: NPYElement { public static var dtype: NPYDType { .float64 } }
extension Int32: NPYElement { public static var dtype: NPYDType { .int32 } }
extension Int64: NPYElement { public static var dtype: NPYDType { .int64 } }
extension UInt8: NPYElement { public static var dtype: NPYDType { .uint8 } }

extension Bool: NPYElement {
    public static var dtype: NPYDType { .bool }

    /// Loading any byte but 0 or 1 as a Swift `Bool` is undefined behaviour, so files are checked.
    public static func firstInvalidByte(in bytes: UnsafeRawBufferPointer) -> Int? {
        bytes.firstIndex { $0 > 1 }
    }
}
