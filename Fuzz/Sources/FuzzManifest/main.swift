import Datasets
import Foundation

/// Manifest YAML: any bytes must give a Manifest or a ConfigurationError, never a trap.
///
/// The validator requires the file's stem to equal `name:`, so the file is named after the first
/// `name:` line: otherwise every input would stop at that check and the rest would go unfuzzed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let name = text.split(separator: "\n").first { $0.hasPrefix("name:") }
        .map { $0.dropFirst(5).trimmingCharacters(in: .whitespaces) } ?? "fuzz"
    _ = try? ManifestLoader.parse(text, file: "manifests/\(name.isEmpty ? "fuzz" : name).yaml")
    return 0
}
