import Foundation
import NumPy
import Testing
import TestSupport

/// Checks against numpy itself (python3 with numpy, installed by the setup script).
@Suite struct NumpyInteropTests {
    /// Shapes whose first axis has 1 to 7 digits, plus 1-D, 0-D, empty and many-axis arrays:
    /// the header's padding changes with the digit count, and numpy's 64-byte rounding must match.
    /// `[2] + 16 ones` is where numpy's spare room for a growing first axis pushes the header
    /// from 128 to 192 bytes; biomech's own shapes never reach that, so it is checked here.
    static let shapes: [[Int]] = [
        [2, 33, 4], [12, 33, 4], [123, 33, 3], [0, 33, 4], [1234, 33, 3],
        [7], [1_234_567], [], [3, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2],
        [2] + Array(repeating: 1, count: 16),
    ]

    @Test(arguments: shapes)
    func bytesEqualNumpySave(shape: [Int]) throws {
        let folder = try TemporaryFolder()
        let count = shape.reduce(1, *)
        var values = (0..<count).map { Float($0 % 1000) * 0.37 - 50 }
        if count > 3 { values[1] = .nan }
        let array = try NPYArray(shape: shape, values: values)
        try numpySave(array, to: folder("numpy.npy"), in: folder)
        let theirs = try Data(contentsOf: folder("numpy.npy"))
        let ours = NPYFile.encode(array)
        #expect(ours.count == theirs.count)
        #expect(headerText(ours) == headerText(theirs))
        #expect(ours == theirs)
    }

    /// The header dict and padding of a version 1.0 file, readable in a failure message.
    func headerText(_ data: Data) -> String {
        let end = data.firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
        return String(decoding: data[data.startIndex + 10..<end], as: UTF8.self)
    }

    @Test(arguments: [[5, 33, 4], [0, 33, 3], [9], []])
    func numpyLoadsOurFiles(shape: [Int]) throws {
        let folder = try TemporaryFolder()
        let array = shape.count == 3
            ? try landmarks(frames: shape[0], channels: shape[2], missing: [2])
            : try NPYArray(shape: shape, values: (0..<shape.reduce(1, *)).map { Float($0) / 7 })
        try NPYFile.write(array, to: folder("ours.npy"))
        let raw = try folder.write("expected.f32", rawBytes(array.values))
        // Compare bit patterns, so NaN rows must be NaN in the same places.
        try Tools.python("""
            import sys, json, numpy as np
            a = np.load(sys.argv[1])
            shape = tuple(json.loads(sys.argv[2]))
            expected = np.fromfile(sys.argv[3], dtype='<f4').reshape(shape)
            if a.dtype != np.float32: sys.exit(f"dtype {a.dtype}")
            if a.dtype.byteorder not in ('<', '='): sys.exit(f"byte order {a.dtype.byteorder}")
            if a.shape != shape: sys.exit(f"shape {a.shape} != {shape}")
            if not a.flags.c_contiguous: sys.exit("not C order")
            if not np.array_equal(a.view(np.uint32), expected.view(np.uint32)): sys.exit("values differ")
            """, [folder("ours.npy").path, "\(shape)", raw.path])
    }

    @Test func readsNumpyFloat64AsFloat() throws {
        let folder = try TemporaryFolder()
        try Tools.python("""
            import sys, numpy as np
            a = (np.arange(2 * 33 * 4, dtype='<f8') * 0.1 + 1e-9).reshape(2, 33, 4)
            a[1] = np.nan
            np.save(sys.argv[1], a)
            a.astype('<f4').tofile(sys.argv[2])
            """, [folder("f8.npy").path, folder("f8-as-f4.raw").path])
        let array = try NPYFile.read(folder("f8.npy"))
        let expected = try floats(fromRaw: folder("f8-as-f4.raw"))
        #expect(array.shape == [2, 33, 4])
        // Rounding must match numpy's astype; NaN payloads may differ, so NaN is compared as NaN.
        #expect(array.values.count == expected.count)
        #expect(zip(array.values, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(array.values[132...].allSatisfy { $0.isNaN })
    }

    @Test(arguments: [2, 3])
    func readsLaterFormatVersions(major: Int) throws {
        let folder = try TemporaryFolder()
        let array = try landmarks(frames: 4, channels: 3, missing: [1])
        let raw = try folder.write("values.f32", rawBytes(array.values))
        try Tools.python("""
            import sys, numpy as np
            a = np.fromfile(sys.argv[1], dtype='<f4').reshape(4, 33, 3)
            with open(sys.argv[2], 'wb') as f:
                np.lib.format.write_array(f, a, version=(int(sys.argv[3]), 0))
            """, [raw.path, folder("v.npy").path, "\(major)"])
        let data = try Data(contentsOf: folder("v.npy"))
        #expect(data[6] == UInt8(major))
        #expect(sameBits(try NPYFile.read(folder("v.npy")), array))
    }

    @Test func readsNumpyFloat32WrittenFromAView() throws {
        // A non-contiguous float32 view is saved in C order by numpy; it must read like any other.
        let folder = try TemporaryFolder()
        let array = try landmarks(frames: 6, channels: 4)
        try numpySave(array, as: "np.ascontiguousarray(a[::2])[:, :, :3]", to: folder("view.npy"), in: folder)
        let back = try NPYFile.read(folder("view.npy"))
        #expect(back.shape == [3, 33, 3])
        #expect(back.values[0..<3] == array.values[0..<3])
        #expect(back.values[99] == array.values[2 * 33 * 4])
    }
}
