import Foundation
import NumPy
import Testing
import TestSupport

/// Every dtype in `NPYDType`, written by Swift and loaded by numpy, and saved by numpy and read by Swift.
@Suite struct DTypeTests {
    static let shapes: [[Int]] = [[3, 5], [0, 4], [7], [], [2, 1, 3]]

    @Test(arguments: NPYDType.allCases)
    func numpyLoadsWhatSwiftWrites(dtype: NPYDType) throws {
        func check<E: Sample>(_ type: E.Type) throws {
            let folder = try TemporaryFolder()
            for (i, shape) in DTypeTests.shapes.enumerated() {
                let array = try sampleArray(type, shape: shape)
                try NPYFile.write(array, to: folder("ours-\(i).npy"))
                try numpyLoads(folder("ours-\(i).npy"), as: array, in: folder)
            }
        }
        try check(sampleType(dtype))
    }

    @Test(arguments: NPYDType.allCases)
    func swiftReadsWhatNumpySaves(dtype: NPYDType) throws {
        func check<E: Sample>(_ type: E.Type) throws {
            let folder = try TemporaryFolder()
            for (i, shape) in DTypeTests.shapes.enumerated() {
                let array = try sampleArray(type, shape: shape)
                try numpySave(array, to: folder("numpy-\(i).npy"), in: folder)
                let back = try NPYFile.read(folder("numpy-\(i).npy"), as: type)
                #expect(back.shape == shape)
                #expect(elementBytes(back.values) == elementBytes(array.values))
                // And the bytes np.save wrote are exactly the ones Swift writes.
                #expect(try Data(contentsOf: folder("numpy-\(i).npy")) == NPYFile.encode(array))
            }
        }
        try check(sampleType(dtype))
    }

    @Test func readingTheWrongTypeNamesTheFileAndBothDtypes() throws {
        let folder = try TemporaryFolder()
        try NPYFile.write(try sampleArray(Int32.self, shape: [4]), to: folder("ints.npy"))
        #expect { try NPYFile.read(folder("ints.npy"), as: Int64.self) } throws: { error in
            "\(error)" == "\(folder("ints.npy").path): not a readable .npy: dtype '<i4' is not supported (expected '<i8'; read it as Int32)"
        }
        #expect { try NPYFile.read(folder("ints.npy"), as: Float.self) } throws: { "\($0)".contains("(expected '<f4'; read it as Int32)") }
    }

    @Test(arguments: ["'>i4'", "'>i8'", "'>f8'"])
    func bigEndianIsRefusedForEveryType(dtype: String) throws {
        let folder = try TemporaryFolder()
        try Tools.python("import sys, numpy as np\nnp.save(sys.argv[1], np.arange(6, dtype=\(dtype)))", [folder("big.npy").path])
        let little = "<" + dtype.dropFirst(2).dropLast()
        #expect { try NPYFile.readHeader(folder("big.npy")) } throws: { error in
            "\(error)".hasPrefix("\(folder("big.npy").path): not a readable .npy: dtype \(dtype) is big-endian")
                && "\(error)".contains("save a.astype('\(little)')")
        }
        #expect { try NPYFile.read(folder("big.npy"), as: Int32.self) } throws: { "\($0)".contains("dtype \(dtype) is big-endian (expected little-endian '<i4'") }
    }

    @Test func boolBytesOtherThanZeroOrOneAreRefused() throws {
        // numpy never writes them, but a Swift Bool holding 2 would be undefined behaviour.
        var data = NPYFile.encode(try NPYTypedArray(shape: [4], values: [true, false, true, false]))
        data[data.count - 2] = 2
        #expect { try NPYFile.decode(data, file: "flags.npy", as: Bool.self) } throws: { error in
            "\(error)" == "flags.npy: not a readable .npy: element 2 of the '|b1' data is byte 2 (expected 0 or 1)"
        }
    }

    @Test func fortranOrderIsRefusedForTypedReads() throws {
        let folder = try TemporaryFolder()
        try Tools.python("import sys, numpy as np\nnp.save(sys.argv[1], np.asfortranarray(np.zeros((2, 3), dtype='<i8')))", [folder("f.npy").path])
        #expect { try NPYFile.read(folder("f.npy"), as: Int64.self) } throws: { "\($0)".contains("f.npy: not a readable .npy: fortran_order is True") }
    }

    @Test func float32ReaderStillConvertsFloat64ButTypedReaderDoesNot() throws {
        let doubles = try NPYTypedArray(shape: [2], values: [0.1, 1e300])
        let data = NPYFile.encode(doubles)
        #expect(try NPYFile.decode(data, file: "d.npy").values == [Float(0.1), .infinity])
        #expect(try NPYFile.decode(data, file: "d.npy", as: Double.self) == doubles)
        #expect(throws: NPYError.self) { try NPYFile.decode(data, file: "d.npy", as: Float.self) }
    }
}
