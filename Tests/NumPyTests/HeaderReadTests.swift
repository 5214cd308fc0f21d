import Foundation
import NumPy
import Testing
import TestSupport

/// `NPYFile.readHeader`: the dtype, shape, order and data offset, without the data.
@Suite struct HeaderReadTests {
    @Test func reportsWhatNumpyWrote() throws {
        let folder = try TemporaryFolder()
        try Tools.python("""
            import sys, numpy as np
            np.save(sys.argv[1], np.zeros((5, 33, 4), dtype='<i8'))
            with open(sys.argv[2], 'wb') as f:
                np.lib.format.write_array(f, np.zeros((3, 7), dtype='|u1'), version=(2, 0))
            np.save(sys.argv[3], np.asfortranarray(np.zeros((2, 3), dtype='<f8')))
            """, [folder("i8.npy").path, folder("v2.npy").path, folder("fortran.npy").path])
        #expect(try NPYFile.readHeader(folder("i8.npy"))
            == NPYFileHeader(dtype: .int64, fortranOrder: false, shape: [5, 33, 4], dataOffset: 128, elementCount: 660))
        let v2 = try NPYFile.readHeader(folder("v2.npy"))
        #expect(v2 == NPYFileHeader(dtype: .uint8, fortranOrder: false, shape: [3, 7], dataOffset: 128, elementCount: 21))
        #expect(v2.expectedFileSize == (try Data(contentsOf: folder("v2.npy"))).count)
        // Reported, not refused: the header is readable even where the data is not.
        #expect(try NPYFile.readHeader(folder("fortran.npy")).fortranOrder)
    }

    @Test func doesNotNeedThePayload() throws {
        // A header claiming 8 GB with no data after it: reading the header must not look for it.
        let folder = try TemporaryFolder()
        let data = handMadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1), }")
        try folder.write("huge.npy", data)
        let read = try NPYFile.readHeader(folder("huge.npy"))
        #expect(read.shape == [1_000_000_000, 1])
        #expect(read.payloadByteCount == 8_000_000_000)
        #expect(read.dataOffset == 128)
        #expect { try NPYFile.read(folder("huge.npy"), as: Double.self) } throws: { "\($0)".contains("data is 0 bytes but shape (1000000000, 1) of '<f8' needs 8000000000 (truncated?)") }
    }

    @Test func refusalsNameTheFile() throws {
        let folder = try TemporaryFolder()
        let whole = NPYFile.encode(try sampleArray(Int32.self, shape: [4]))
        try folder.write("cut.npy", whole.prefix(60))
        try folder.write("short.npy", whole.prefix(7))
        try folder.write("half.npy", whole.prefix(9))
        try folder.write("f2.npy", handMadeNPY(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }"))
        let cases = [
            ("cut.npy", "header declares 118 bytes but only 50 follow the preamble (truncated?)"),
            ("short.npy", "bad magic"),
            ("half.npy", "ends inside the header length field"),
            ("f2.npy", "dtype '<f2' is not supported (expected one of '<f4', '<f8', '<i4', '<i8', '|u1', '|b1')"),
            ("absent.npy", "cannot open the file (No such file or directory)"),
            ("", "not a regular file"),
        ]
        for (name, reason) in cases {
            #expect { try NPYFile.readHeader(folder(name)) } throws: { error in
                (error as? NPYError)?.file == folder(name).path && "\(error)".contains(reason)
            }
        }
    }
}
