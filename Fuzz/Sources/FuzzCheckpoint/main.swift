import Foundation
import Model

// libFuzzer calls this once per input: thrown errors are the parser doing its job, traps are bugs.
// A checkpoint declares its own dimensions, so the seeds use a tiny configuration to stay small.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    if let checkpoint = try? Checkpoint.decode(data, path: "fuzz-input") {
        let n = ParameterTable(checkpoint.header.config).count
        precondition(checkpoint.params.count == n && checkpoint.m.count == n && checkpoint.v.count == n, "accepted arrays must match the table")
    }
    return 0
}
