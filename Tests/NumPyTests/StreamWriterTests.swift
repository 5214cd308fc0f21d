import Foundation
import NumPy
import Testing
import TestSupport

/// `NPYStreamWriter`: rows appended in pieces give exactly the file `np.save` would, atomically.
@Suite struct StreamWriterTests {
    @Test func manyAppendsGiveNumpysBytes() throws {
        let folder = try TemporaryFolder()
        let whole = try sampleArray(Float.self, shape: [1000, 33, 4])
        let writer = try NPYStreamWriter<Float>(folder("rows.npy"), rowShape: [33, 4])
        // One row at a time, then uneven batches, from slices and from a raw buffer.
        let row = 33 * 4
        for r in 0..<700 { try writer.append(rows: whole.values[r * row..<(r + 1) * row]) }
        try writer.append(rows: Array(whole.values[700 * row..<750 * row]))
        try whole.values[750 * row..<1000 * row].withUnsafeBufferPointer { try writer.append(rows: $0) }
        #expect(writer.rowCount == 1000)
        try writer.finish()
        #expect(try Data(contentsOf: folder("rows.npy")) == NPYFile.encode(whole))
        try numpyLoads(folder("rows.npy"), as: whole, in: folder)
    }

    @Test(arguments: NPYDType.allCases)
    func everyDtypeStreams(dtype: NPYDType) throws {
        func check<E: Sample>(_ type: E.Type) throws {
            let folder = try TemporaryFolder()
            let whole = try sampleArray(type, shape: [12, 3])
            let writer = try NPYStreamWriter<E>(folder("s.npy"), rowShape: [3])
            for start in stride(from: 0, to: 36, by: 9) { try writer.append(rows: whole.values[start..<start + 9]) }
            try writer.finish()
            #expect(try Data(contentsOf: folder("s.npy")) == NPYFile.encode(whole))
            #expect(elementBytes(try NPYFile.read(folder("s.npy"), as: type).values) == elementBytes(whole.values))
        }
        try check(sampleType(dtype))
    }

    @Test func zeroRowsAndScalarRows() throws {
        let folder = try TemporaryFolder()
        let empty = try NPYStreamWriter<Int64>(folder("empty.npy"), rowShape: [5, 2])
        try empty.append(rows: [Int64]())
        try empty.finish()
        let none = try NPYTypedArray(shape: [0, 5, 2], values: [Int64]())
        #expect(try Data(contentsOf: folder("empty.npy")) == NPYFile.encode(none))
        try numpyLoads(folder("empty.npy"), as: none, in: folder)
        // An empty row shape makes a 1-D file, one value per row.
        let scalars = try NPYStreamWriter<Bool>(folder("flags.npy"), rowShape: [])
        try scalars.append(rows: [true, false, true])
        try scalars.finish()
        #expect(try NPYFile.read(folder("flags.npy"), as: Bool.self) == (try NPYTypedArray(shape: [3], values: [true, false, true])))
    }

    @Test func nothingAppearsUntilFinishAndAnAbandonedWriterLeavesNothing() throws {
        let folder = try TemporaryFolder()
        try NPYFile.write(try sampleArray(Int32.self, shape: [2, 2]), to: folder("out/kept.npy"))
        let before = try Data(contentsOf: folder("out/kept.npy"))
        do {
            let writer = try NPYStreamWriter<Int32>(folder("out/kept.npy"), rowShape: [2])
            try writer.append(rows: [7, 8, 9, 10])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder("out").path).count == 2)
            #expect(try Data(contentsOf: folder("out/kept.npy")) == before)
            let fresh = try NPYStreamWriter<UInt8>(folder("out/new.npy"), rowShape: [1])
            try fresh.append(rows: [1])
            #expect(!FileManager.default.fileExists(atPath: folder("out/new.npy").path))
        }
        // Both writers are gone without finish: their temporaries with them, the old file intact.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("out").path) == ["kept.npy"])
        #expect(try Data(contentsOf: folder("out/kept.npy")) == before)
    }

    @Test func misuseNamesTheFile() throws {
        let folder = try TemporaryFolder()
        let writer = try NPYStreamWriter<Double>(folder("d.npy"), rowShape: [3])
        #expect { try writer.append(rows: [1, 2, 3, 4]) } throws: { error in
            "\(error)" == "\(folder("d.npy").path): not a readable .npy: cannot append 4 values: rows of shape (3,) hold 3 each (expected a multiple of 3)"
        }
        try writer.append(rows: [1, 2, 3])
        try writer.finish()
        #expect(try NPYFile.read(folder("d.npy"), as: Double.self).shape == [1, 3])
        #expect { try writer.append(rows: [1, 2, 3]) } throws: { "\($0)".contains("d.npy: not a readable .npy: cannot append to a writer that has finished") }
        #expect { try writer.finish() } throws: { "\($0)".contains("cannot finish a writer that has finished") }
        #expect { try NPYStreamWriter<Float>(folder("z.npy"), rowShape: [3, 0]) } throws: { error in
            "\(error)".contains("z.npy: not a readable .npy: cannot write rows of shape (3, 0) (expected positive dimensions")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["d.npy"])
    }

    @Test func unwritableFolderNamesThePath() throws {
        let folder = try TemporaryFolder()
        try folder.write("blocker", "a file where a folder is needed")
        #expect { try NPYStreamWriter<Float>(folder("blocker/x.npy"), rowShape: [2]) } throws: { "\($0)".contains("blocker") }
    }
}
