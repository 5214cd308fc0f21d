import Foundation
import NumPy
import Testing
import TestSupport

/// `NPYMappedArray`: the data in place, checked against the header when mapped.
@Suite struct MappedArrayTests {
    @Test(arguments: NPYDType.allCases)
    func mapsWhatNumpySaves(dtype: NPYDType) throws {
        func check<E: Sample>(_ type: E.Type) throws {
            let folder = try TemporaryFolder()
            let array = try sampleArray(type, shape: [6, 5])
            try numpySave(array, to: folder("a.npy"), in: folder)
            let map = try NPYMappedArray<E>(folder("a.npy"))
            #expect(map.shape == [6, 5])
            #expect(map.header.dataOffset == 128)
            #expect(map.isAligned)
            #expect(try map.withUnsafeBufferPointer { elementBytes(Array($0)) } == elementBytes(array.values))
            #expect(elementBytes((0..<map.count).map { map[$0] }) == elementBytes(array.values))
            #expect(map.withUnsafeBytes { Data($0) } == elementBytes(array.values))
        }
        try check(sampleType(dtype))
    }

    @Test func emptyArrayMaps() throws {
        let folder = try TemporaryFolder()
        try NPYFile.write(try NPYTypedArray(shape: [0, 4], values: [Int64]()), to: folder("empty.npy"))
        let map = try NPYMappedArray<Int64>(folder("empty.npy"))
        #expect(map.count == 0)
        #expect(try map.withUnsafeBufferPointer { $0.count } == 0)
    }

    @Test func sizeMustMatchTheHeader() throws {
        let folder = try TemporaryFolder()
        let data = NPYFile.encode(try sampleArray(Int32.self, shape: [10]))
        try folder.write("short.npy", data.dropLast(1))
        try folder.write("long.npy", data + Data([0]))
        try folder.write("header-only.npy", data.prefix(128))
        try folder.write("cut-header.npy", data.prefix(50))
        let cases = [
            ("short.npy", "data is 39 bytes but shape (10,) of '<i4' needs 40 (truncated?)"),
            ("long.npy", "1 unexpected bytes after the 40 bytes of data for shape (10,)"),
            ("header-only.npy", "data is 0 bytes but shape (10,) of '<i4' needs 40 (truncated?)"),
            ("cut-header.npy", "header declares 118 bytes but only 40 follow the preamble (truncated?)"),
        ]
        for (name, reason) in cases {
            #expect { try NPYMappedArray<Int32>(folder(name)) } throws: { error in
                "\(error)" == "\(folder(name).path): not a readable .npy: \(reason)"
            }
        }
    }

    @Test func refusesOtherDtypesFortranOrderAndBadBools() throws {
        let folder = try TemporaryFolder()
        try NPYFile.write(try sampleArray(Float.self, shape: [3]), to: folder("f4.npy"))
        #expect { try NPYMappedArray<Double>(folder("f4.npy")) } throws: { "\($0)".hasSuffix("f4.npy: not a readable .npy: dtype '<f4' is not supported (expected '<f8'; read it as Float)") }
        try Tools.python("import sys, numpy as np\nnp.save(sys.argv[1], np.asfortranarray(np.zeros((2, 3), dtype='|u1')))", [folder("fortran.npy").path])
        #expect { try NPYMappedArray<UInt8>(folder("fortran.npy")) } throws: { "\($0)".contains("fortran.npy: not a readable .npy: fortran_order is True") }
        var bools = NPYFile.encode(try NPYTypedArray(shape: [3], values: [true, false, true]))
        bools[bools.count - 1] = 7
        try folder.write("bools.npy", bools)
        #expect { try NPYMappedArray<Bool>(folder("bools.npy")) } throws: { "\($0)".contains("bools.npy: not a readable .npy: element 2 of the '|b1' data is byte 7 (expected 0 or 1)") }
    }

    @Test func misalignedDataRefusesTypedPointersButLoadsUnaligned() throws {
        let folder = try TemporaryFolder()
        let values: [Int64] = [1, -2, .max]
        try folder.write("odd.npy", npy(descr: "<i8", shape: "(3,)", dataOffset: 75, payload: elementBytes(values)))
        let map = try NPYMappedArray<Int64>(folder("odd.npy"))
        #expect(map.header.dataOffset == 75)
        #expect(!map.isAligned)
        #expect((0..<3).map { map[$0] } == values)
        #expect(map.withUnsafeBytes { Data($0) } == elementBytes(values))
        #expect { try map.withUnsafeBufferPointer { $0.count } } throws: { error in
            "\(error)".contains("odd.npy: not a readable .npy: data starts at byte 75, not a multiple of 8 (expected Int64-aligned data for typed access")
        }
        // 16-aligned (old numpy) is enough for every dtype here; bytes need no alignment at all.
        try folder.write("sixteen.npy", npy(descr: "<i8", shape: "(3,)", dataOffset: 80, payload: elementBytes(values)))
        #expect(try NPYMappedArray<Int64>(folder("sixteen.npy")).withUnsafeBufferPointer(Array.init) == values)
        try folder.write("bytes.npy", npy(descr: "|u1", shape: "(2,)", dataOffset: 75, payload: Data([9, 8])))
        #expect(try NPYMappedArray<UInt8>(folder("bytes.npy")).withUnsafeBufferPointer(Array.init) == [9, 8])
    }

    @Test func mapOutlivesTheFileBeingReplacedOrRemoved() throws {
        let folder = try TemporaryFolder()
        let first = try sampleArray(Double.self, shape: [4, 4])
        try NPYFile.write(first, to: folder("a.npy"))
        let map = try NPYMappedArray<Double>(folder("a.npy"))
        try NPYFile.write(try NPYTypedArray(shape: [16], values: [Double](repeating: 5, count: 16)), to: folder("a.npy"))
        #expect(try map.withUnsafeBufferPointer { elementBytes(Array($0)) } == elementBytes(first.values))
        try FileManager.default.removeItem(at: folder("a.npy"))
        #expect(elementBytes((0..<16).map { map[$0] }) == elementBytes(first.values))
    }

    /// A version 1.0 file whose data starts at exactly `dataOffset` (numpy would pad to 64).
    func npy(descr: String, shape: String, dataOffset: Int, payload: Data) -> Data {
        let dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        let headerLength = dataOffset - 10
        let text = dict + String(repeating: " ", count: headerLength - dict.utf8.count - 1) + "\n"
        return Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(headerLength), 0]) + Data(text.utf8) + payload
    }
}
