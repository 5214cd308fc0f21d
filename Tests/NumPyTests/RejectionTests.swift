import BiomechCore
import Foundation
import NumPy
import Testing
import TestSupport

/// Every refusal is an `NPYError` whose message names the file and says what was expected.
@Suite struct RejectionTests {
    /// Reads `name` from `folder` and returns the error's description, failing when it reads.
    func failure(reading name: String, in folder: TemporaryFolder) throws -> String {
        do {
            _ = try NPYFile.read(folder(name))
        } catch let error as NPYError {
            #expect(error.file == folder(name).path)
            #expect(error.exitCode == 1)
            #expect(error.description.hasPrefix("\(folder(name).path): not a readable .npy: "))
            return error.description
        }
        Issue.record("\(name) was read without an error")
        return ""
    }

    func numpyWrites(_ expression: String, to target: URL) throws {
        try Tools.python("import sys, numpy as np\nnp.save(sys.argv[1], \(expression))", [target.path])
    }

    @Test func badMagic() throws {
        let folder = try TemporaryFolder()
        var data = NPYFile.encode(try landmarks(frames: 1, channels: 4))
        data[1] = UInt8(ascii: "M")
        try folder.write("magic.npy", data)
        let message = try failure(reading: "magic.npy", in: folder)
        #expect(message.contains("bad magic"))
        #expect(message.contains("expected \"\\x93NUMPY\""))
    }

    @Test func notAnNpyAtAll() throws {
        let folder = try TemporaryFolder()
        try folder.write("text.npy", "hello")
        #expect(try failure(reading: "text.npy", in: folder).contains("bad magic: found \"hello\""))
        try folder.write("empty.npy", Data())
        #expect(try failure(reading: "empty.npy", in: folder).contains("bad magic"))
    }

    @Test func unknownVersion() throws {
        let folder = try TemporaryFolder()
        var data = NPYFile.encode(try landmarks(frames: 1, channels: 4))
        data[6] = 4
        try folder.write("v4.npy", data)
        #expect(try failure(reading: "v4.npy", in: folder).contains("version 4.0 is not supported (expected 1.0, 2.0 or 3.0)"))
    }

    @Test func fortranOrder() throws {
        let folder = try TemporaryFolder()
        try numpyWrites("np.asfortranarray(np.zeros((2, 33, 4), dtype='<f4'))", to: folder("fortran.npy"))
        #expect(try failure(reading: "fortran.npy", in: folder).contains("fortran_order is True (expected False"))
    }

    @Test(arguments: ["'>f4'", "'>f8'"])
    func bigEndian(dtype: String) throws {
        let folder = try TemporaryFolder()
        try numpyWrites("np.zeros((2, 33, 4), dtype=\(dtype))", to: folder("big.npy"))
        let message = try failure(reading: "big.npy", in: folder)
        #expect(message.contains("dtype \(dtype) is big-endian (expected little-endian '<f4' or '<f8'"))
    }

    @Test(arguments: ["'<f2'", "'<c8'", "'<u4'", "'|i1'"])
    func otherDtypes(dtype: String) throws {
        let folder = try TemporaryFolder()
        try numpyWrites("np.zeros((2, 3), dtype=\(dtype))", to: folder("other.npy"))
        #expect(try failure(reading: "other.npy", in: folder).contains("dtype \(dtype) is not supported (expected '<f4' or '<f8')"))
    }

    /// The float32 reader refuses the other readable dtypes, and says which type reads them.
    @Test(arguments: [("'<i8'", "Int64"), ("'|u1'", "UInt8"), ("'|b1'", "Bool"), ("'<i4'", "Int32")])
    func dtypesOfOtherTypes(dtype: String, type: String) throws {
        let folder = try TemporaryFolder()
        try numpyWrites("np.zeros((2, 3), dtype=\(dtype))", to: folder("other.npy"))
        let message = try failure(reading: "other.npy", in: folder)
        #expect(message.contains("dtype \(dtype) is not supported (expected '<f4' or '<f8'; read it as \(type))"), "\(message)")
    }

    @Test func structuredDtype() throws {
        let folder = try TemporaryFolder()
        try numpyWrites("np.zeros(3, dtype=[('x', '<f4'), ('y', '<f4')])", to: folder("structured.npy"))
        #expect(try failure(reading: "structured.npy", in: folder).contains("expected '<f4' or '<f8'"))
    }

    @Test func truncatedData() throws {
        let folder = try TemporaryFolder()
        let data = NPYFile.encode(try landmarks(frames: 3, channels: 4))
        try folder.write("short.npy", data.dropLast(3))
        let message = try failure(reading: "short.npy", in: folder)
        #expect(message.contains("data is 1581 bytes but shape (3, 33, 4) of '<f4' needs 1584 (truncated?)"))
    }

    @Test func truncatedHeader() throws {
        let folder = try TemporaryFolder()
        try folder.write("cut.npy", NPYFile.encode(try landmarks(frames: 3, channels: 4)).prefix(40))
        #expect(try failure(reading: "cut.npy", in: folder).contains("header declares 118 bytes but only 30 follow the preamble"))
        try folder.write("cut2.npy", NPYFile.encode(try landmarks(frames: 3, channels: 4)).prefix(9))
        #expect(try failure(reading: "cut2.npy", in: folder).contains("ends inside the header length"))
    }

    @Test func bytesAfterTheData() throws {
        let folder = try TemporaryFolder()
        try folder.write("long.npy", NPYFile.encode(try landmarks(frames: 1, channels: 4)) + Data([0, 0, 0, 0]))
        #expect(try failure(reading: "long.npy", in: folder).contains("4 unexpected bytes after the 528 bytes of data"))
    }

    @Test(arguments: [
        ("{'descr': '<f4', 'shape': (2,), }", "header keys are [\"descr\", \"shape\"] (expected exactly"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "expected exactly"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': 2, }", "shape is 2 (expected a tuple of integers)"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", "has -1 (expected non-negative integers)"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "fortran_order is 0 (expected True or False)"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "not a Python dict literal"),
        ("['descr', '<f4']", "header is not a dict"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }", "only integer literals"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", "too many elements"),
    ])
    func malformedHeaders(header: String, expected: String) throws {
        let folder = try TemporaryFolder()
        try folder.write("bad.npy", handMadeNPY(header: header, payload: Data(count: 8)))
        let message = try failure(reading: "bad.npy", in: folder)
        #expect(message.contains(expected), "\(message)")
    }

    @Test func missingFile() throws {
        let folder = try TemporaryFolder()
        #expect(try failure(reading: "absent.npy", in: folder).contains("cannot read the file"))
    }

    @Test func inconsistentArrays() throws {
        #expect(throws: NPYError.self) { try NPYArray(shape: [2, 33, 4], values: [1, 2, 3]) }
        #expect(throws: NPYError.self) { try NPYArray(shape: [-1], values: []) }
        #expect(throws: NPYError.self) { try NPYArray(shape: [], values: []) }
        let folder = try TemporaryFolder()
        var array = try landmarks(frames: 2, channels: 4)
        array.values.removeLast()
        #expect { try NPYFile.write(array, to: folder("x.npy")) } throws: { error in
            "\(error)".contains("x.npy") && "\(error)".contains("holds 264 values but 263")
        }
        #expect(!FileManager.default.fileExists(atPath: folder("x.npy").path))
    }
}

/// Headers numpy accepts that numpy no longer writes must still read.
@Suite struct LenientHeaderTests {
    @Test(arguments: [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3L), }",      // Python 2 longs
        "{\"shape\": (2, 3), \"fortran_order\": False, \"descr\": \"<f4\"}",  // other key order, double quotes
        "{'descr':'<f4','fortran_order':False,'shape':(2,3)}",               // no spaces, no trailing comma
    ])
    func acceptedVariants(header: String) throws {
        let payload = rawBytes((0..<6).map(Float.init))
        let array = try NPYFile.decode(handMadeNPY(header: header, payload: payload), file: "variant.npy")
        #expect(array == (try NPYArray(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])))
    }

    @Test func version3HeaderIsUTF8() throws {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }"
        let array = try NPYFile.decode(handMadeNPY(version: 3, header: header, payload: rawBytes([4.5])), file: "v3.npy")
        #expect(array.values == [4.5])
        var broken = handMadeNPY(version: 3, header: header, payload: rawBytes([4.5]))
        broken[20] = 0xFF
        #expect { try NPYFile.decode(broken, file: "v3.npy") } throws: { "\($0)".contains("v3.npy: not a readable .npy: version 3.0 header is not valid UTF-8") }
    }

    @Test func pythonTwoLongsOnlyInOldVersions() throws {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1L,), }"
        #expect(throws: NPYError.self) { try NPYFile.decode(handMadeNPY(version: 3, header: header, payload: rawBytes([1])), file: "v3.npy") }
    }
}
