import BiomechCore
import Foundation
import NumPy
import Testing
import TestSupport

@Suite struct RoundTripTests {
    /// A landmark file's frame count, channels (4 image, 3 world) and the frames with no detection.
    struct Sequence: Sendable, CustomTestStringConvertible {
        var frames: Int, channels: Int, missing: Set<Int>
        var testDescription: String { "[\(frames),33,\(channels)] missing \(missing.sorted())" }
    }

    @Test(arguments: [
        Sequence(frames: 12, channels: 4, missing: [0, 5, 11]),  // ID.npy with undetected frames
        Sequence(frames: 3, channels: 3, missing: []),           // ID.world.npy
        Sequence(frames: 0, channels: 4, missing: []),           // a clip with no frames
        Sequence(frames: 1, channels: 4, missing: [0]),          // nothing detected at all
    ])
    func landmarkSequencesSurviveWriteAndRead(_ sequence: Sequence) throws {
        let folder = try TemporaryFolder()
        let array = try landmarks(frames: sequence.frames, channels: sequence.channels, missing: sequence.missing)
        try NPYFile.write(array, to: folder("clip.npy"))
        let back = try NPYFile.read(folder("clip.npy"))
        #expect(back.shape == [sequence.frames, 33, sequence.channels])
        #expect(sameBits(back, array))
        #expect(back.values.filter(\.isNaN).count == sequence.missing.count * 33 * sequence.channels)
    }

    @Test(arguments: [[7], [0], [], [2, 0, 5], [1, 1, 1, 1, 1, 3]])
    func otherShapesSurvive(shape: [Int]) throws {
        let count = shape.reduce(1, *)
        let array = try NPYArray(shape: shape, values: (0..<count).map { Float($0) * -1.25 })
        let back = try NPYFile.decode(NPYFile.encode(array), file: "mem.npy")
        #expect(back == array)
    }

    @Test func specialValuesKeepTheirBits() throws {
        let values: [Float] = [.nan, -.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                               Float(bitPattern: 0x7FC0_1234)]
        let array = try NPYArray(shape: [values.count], values: values)
        #expect(sameBits(try NPYFile.decode(NPYFile.encode(array), file: "mem.npy"), array))
    }

    @Test func largeSequenceRoundTrips() throws {
        // 20 minutes at 30 fps: big enough that a per-element path would show.
        let array = try landmarks(frames: 36_000, channels: 4, missing: [17, 35_999])
        let data = NPYFile.encode(array)
        #expect(data.count == 128 + 36_000 * 33 * 4 * 4)
        #expect(sameBits(try NPYFile.decode(data, file: "big.npy"), array))
    }

    @Test func decodeAcceptsASliceOfLargerData() throws {
        let array = try landmarks(frames: 2, channels: 3)
        let padded = Data([1, 2, 3]) + NPYFile.encode(array)
        #expect(sameBits(try NPYFile.decode(padded.dropFirst(3), file: "slice.npy"), array))
    }

    @Test func writeReplacesAnExistingFileAndLeavesNoTemporaries() throws {
        let folder = try TemporaryFolder()
        try NPYFile.write(try landmarks(frames: 5, channels: 4), to: folder("out/clip.npy"))
        let second = try landmarks(frames: 2, channels: 4, missing: [1])
        try NPYFile.write(second, to: folder("out/clip.npy"))
        #expect(sameBits(try NPYFile.read(folder("out/clip.npy")), second))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("out").path) == ["clip.npy"])
    }
}

@Suite struct DeterminismTests {
    @Test func sameInputGivesIdenticalBytes() throws {
        let folder = try TemporaryFolder()
        let array = try landmarks(frames: 40, channels: 4, missing: [3])
        let copy = try NPYArray(shape: array.shape, values: array.values)
        try NPYFile.write(array, to: folder("a.npy"))
        try NPYFile.write(copy, to: folder("b.npy"))
        let a = try Data(contentsOf: folder("a.npy"))
        #expect(a == (try Data(contentsOf: folder("b.npy"))))
        #expect(a == NPYFile.encode(array))
        #expect(NPYFile.encode(array) == NPYFile.encode(copy))
    }

    @Test func headerIsExactlyNumpys() throws {
        // Pinned bytes, so a change in formatting shows even where python is not installed.
        let data = NPYFile.encode(try landmarks(frames: 2, channels: 4))
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 33, 4), }"
        let expected = Data([0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0])
            + Data(dict.utf8) + Data(repeating: 0x20, count: 117 - dict.utf8.count) + Data("\n".utf8)
        #expect(data.prefix(128) == expected)
        #expect(data.count == 128 + 2 * 33 * 4 * 4)
    }

    @Test func zeroDimensionalHeaderHasAnEmptyTuple() throws {
        let data = NPYFile.encode(try NPYArray(shape: [], values: [2.5]))
        let header = String(decoding: data[10..<128], as: UTF8.self)
        // No room for a growing axis, and 56 + 11 bytes overshoots 64, so numpy pads to 128.
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (), }  "))
        #expect(header.hasSuffix(" \n"))
        #expect(data.count == 128 + 4)
    }
}
