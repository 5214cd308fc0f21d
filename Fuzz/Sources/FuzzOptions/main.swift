import BiomechCore
import Datasets

/// Size, duration and split-ratio option parsers: any text gives a value or nil, never a trap,
/// and every value they give is in range (sizes fit an Int64, durations are finite and non-negative).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOptions(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let bytes = ByteSize.parse(text) { precondition(bytes >= 0, "ByteSize.parse('\(text)') = \(bytes)") }
    if let seconds = DurationText.parse(text) {
        precondition(seconds.isFinite && seconds >= 0, "DurationText.parse('\(text)') = \(seconds)")
    }
    if let policy = SplitPolicy(text) {
        let total = policy.train + policy.val + policy.test
        precondition(abs(total - 1) < 1e-9 && policy.train >= 0 && policy.val >= 0 && policy.test >= 0, "SplitPolicy('\(text)')")
        _ = policy.split(forGroup: text)
    }
    return 0
}
