import Foundation
import NumPy
import TestSupport

/// A landmark sequence like the pose stage writes: `[frames, 33, channels]`, with NaN rows for
/// the frames listed in `missing` (no person detected), and deterministic values otherwise.
func landmarks(frames: Int, channels: Int, missing: Set<Int> = []) throws -> NPYArray {
    var values: [Float] = []
    values.reserveCapacity(frames * 33 * channels)
    for frame in 0..<frames {
        for joint in 0..<33 {
            for channel in 0..<channels {
                values.append(missing.contains(frame) ? .nan : Float(frame) * 0.01 + Float(joint) * 0.1 + Float(channel) / 3)
            }
        }
    }
    return try NPYArray(shape: [frames, 33, channels], values: values)
}

/// Whether two arrays have the same shape and the same bits in every element, so NaN matches NaN.
func sameBits(_ a: NPYArray, _ b: NPYArray) -> Bool {
    a.shape == b.shape && a.values.map(\.bitPattern) == b.values.map(\.bitPattern)
}

/// The raw little-endian float32 bytes of `values`, for handing exact values to numpy.
func rawBytes(_ values: [Float]) -> Data {
    values.withUnsafeBufferPointer { Data(buffer: $0) }
}

/// The values of a raw little-endian float32 file written by numpy's `tofile`.
func floats(fromRaw url: URL) throws -> [Float] {
    let data = try Data(contentsOf: url)
    return data.withUnsafeBytes { raw in
        (0..<data.count / 4).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
    }
}

/// A hand-made .npy: magic, `version`, the header text padded like numpy, then `payload`.
/// Lets tests build files numpy itself refuses to write (old Python 2 headers, bad keys).
func handMadeNPY(version: UInt8 = 1, header: String, payload: Data = Data()) -> Data {
    let lengthBytes = version == 1 ? 2 : 4
    var text = Array(header.utf8)
    let unpadded = 8 + lengthBytes + text.count + 1
    text += repeatElement(UInt8(ascii: " "), count: (64 - unpadded % 64) % 64)
    text.append(UInt8(ascii: "\n"))
    var data = Data([0x93] + Array("NUMPY".utf8) + [version, 0])
    for i in 0..<lengthBytes { data.append(UInt8(truncatingIfNeeded: text.count >> (8 * i))) }
    data.append(contentsOf: text)
    data.append(payload)
    return data
}

/// Saves an array with numpy: `make` is a Python expression of `np` and `a` (the float32
/// array read from `values` and reshaped to `shape`), and the result is `np.save`d to `target`.
func numpySave(_ array: NPYArray, as make: String = "a", to target: URL, in folder: TemporaryFolder) throws {
    let raw = try folder.write("values-\(UUID().uuidString).f32", rawBytes(array.values))
    try Tools.python("""
        import sys, json, numpy as np
        a = np.fromfile(sys.argv[1], dtype='<f4').reshape(tuple(json.loads(sys.argv[2])))
        np.save(sys.argv[3], \(make))
        """, [raw.path, "\(array.shape)", target.path])
}
