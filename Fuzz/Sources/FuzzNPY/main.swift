import Foundation
import NumPy
#if canImport(Glibc)
import Glibc
#endif

/// Where `touchMap` stores what it read, so the optimiser cannot drop the reads.
nonisolated(unsafe) var observed = 0

/// One scratch file per process, rewritten for each input, for the file-based readers.
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-npy-\(getpid()).npy")

/// Feeds one input to every .npy reader; errors are expected, crashes and traps are bugs.
///
/// Also checks a property: whatever a typed decoder accepts, encoding it again decodes to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = try? NPYFile.decode(data, file: "fuzz.npy")
    for type in [Float.self, Double.self, Int32.self, Int64.self, UInt8.self, Bool.self] as [any NPYElement.Type] {
        roundTrip(data, type)
    }
    guard write(data, to: scratch) else { return 0 }
    _ = try? NPYFile.readHeader(scratch)
    for type in [Float.self, Double.self, Int32.self, Int64.self, UInt8.self, Bool.self] as [any NPYElement.Type] {
        touchMap(type)
    }
    return 0
}

/// Decodes `data` as `E`; when that succeeds, re-encodes and requires an identical decode.
func roundTrip<E: NPYElement>(_ data: Data, _: E.Type) {
    guard let array = try? NPYFile.decode(data, file: "fuzz.npy", as: E.self) else { return }
    let again = NPYFile.encode(array)
    guard let back = try? NPYFile.decode(again, file: "again.npy", as: E.self), back.shape == array.shape,
          bytes(back.values) == bytes(array.values) else {
        fatalError("re-encoded \(E.dtype) array of shape \(array.shape) did not decode to the same values")
    }
}

/// Maps the scratch file as `E` and reads every element the three ways the map offers.
func touchMap<E: NPYElement>(_: E.Type) {
    guard let map = try? NPYMappedArray<E>(scratch) else { return }
    var sink = 0
    map.withUnsafeBytes { raw in for b in raw { sink &+= Int(b) } }
    _ = try? map.withUnsafeBufferPointer { buffer in for value in buffer { sink &+= value == value ? 1 : 0 } }
    for i in 0..<map.count { sink &+= map[i] == map[i] ? 1 : 0 }
    observed = sink
}

func bytes<E: NPYElement>(_ values: [E]) -> [UInt8] {
    values.withUnsafeBytes { Array($0) }
}

/// Replaces `url` with `data` (plain write: the scratch file is private to this process).
func write(_ data: Data, to url: URL) -> Bool {
    (try? data.write(to: url)) != nil
}
