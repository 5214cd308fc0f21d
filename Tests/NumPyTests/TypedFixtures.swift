import Foundation
import NumPy
import TestSupport

/// An element type the typed tests can fill arrays with: varied values, including the extremes.
protocol Sample: NPYElement {
    static func sample(_ i: Int) -> Self
}

extension Float: Sample {
    static func sample(_ i: Int) -> Float {
        [Float.nan, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude][safe: i] ?? Float(i) * 0.37 - 50
    }
}
extension Double: Sample {
    static func sample(_ i: Int) -> Double {
        [Double.nan, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude][safe: i] ?? Double(i) * 1e-300 + 0.1
    }
}
extension Int32: Sample {
    static func sample(_ i: Int) -> Int32 { [Int32.min, .max, -1][safe: i] ?? Int32(truncatingIfNeeded: i &* 2_654_435_761) }
}
extension Int64: Sample {
    static func sample(_ i: Int) -> Int64 { [Int64.min, .max, -1][safe: i] ?? Int64(i) &* Int64(bitPattern: 0x9E37_79B9_7F4A_7C15) }
}
extension UInt8: Sample {
    static func sample(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: i &* 37) }
}
extension Bool: Sample {
    static func sample(_ i: Int) -> Bool { i % 3 == 1 }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// The Swift type for each dtype, for tests that run once per dtype.
func sampleType(_ dtype: NPYDType) -> any Sample.Type {
    switch dtype {
    case .float32: return Float.self
    case .float64: return Double.self
    case .int32: return Int32.self
    case .int64: return Int64.self
    case .uint8: return UInt8.self
    case .bool: return Bool.self
    }
}

/// `count` sample values of `E` arranged in `shape`.
func sampleArray<E: Sample>(_: E.Type, shape: [Int]) throws -> NPYTypedArray<E> {
    try NPYTypedArray(shape: shape, values: (0..<shape.reduce(1, *)).map(E.sample))
}

/// The values' raw bytes, so arrays holding NaN compare bit for bit.
func elementBytes<E: NPYElement>(_ values: [E]) -> Data {
    values.withUnsafeBufferPointer { Data(buffer: $0) }
}

/// Saves raw little-endian `values` with numpy as `dtype` in `shape`: `np.save` of `np.fromfile(...)`.
func numpySave<E: NPYElement>(_ array: NPYTypedArray<E>, to target: URL, in folder: TemporaryFolder) throws {
    let raw = try folder.write("values-\(UUID().uuidString).raw", elementBytes(array.values))
    try Tools.python("""
        import sys, json, numpy as np
        a = np.fromfile(sys.argv[1], dtype=sys.argv[2]).reshape(tuple(json.loads(sys.argv[3])))
        np.save(sys.argv[4], a)
        """, [raw.path, E.dtype.descr, "\(array.shape)", target.path])
}

/// Checks with numpy that `file` loads as `array`: same dtype string, shape, C order and bytes.
func numpyLoads<E: NPYElement>(_ file: URL, as array: NPYTypedArray<E>, in folder: TemporaryFolder) throws {
    let raw = try folder.write("expected-\(UUID().uuidString).raw", elementBytes(array.values))
    try Tools.python("""
        import sys, json, numpy as np
        a = np.load(sys.argv[1])
        shape = tuple(json.loads(sys.argv[3]))
        expected = np.fromfile(sys.argv[2], dtype=sys.argv[4]).reshape(shape)
        if a.dtype.str != sys.argv[4]: sys.exit(f"dtype {a.dtype.str} != {sys.argv[4]}")
        if a.shape != shape: sys.exit(f"shape {a.shape} != {shape}")
        if not a.flags.c_contiguous: sys.exit("not C order")
        if a.tobytes() != expected.tobytes(): sys.exit("values differ")
        """, [file.path, raw.path, "\(array.shape)", E.dtype.descr])
}
