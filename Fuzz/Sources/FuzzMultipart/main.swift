import Foundation
import NIOCore
import Service

/// Multipart form uploads (`FormReader` over MultipartKit's parser): an upload or a `ServiceError`, never a
/// crash, and never more than the cap on disk. The first byte sets the chunk size, so the boundary, headers
/// and CRLFs fall across chunk edges everywhere.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-fuzz-multipart-\(getpid())")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let chunk = Int(bytes[0]) % 64 + 1
    try? FileManager.default.removeItem(at: folder)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    do {
        var reader = try FormReader(boundary: "fuzz", folder: folder, maxBytes: 4096)
        var offset = 1
        while offset < count {
            let end = min(count, offset + chunk)
            try reader.consume(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
        let upload = try reader.finish()
        let size = (try? FileManager.default.attributesOfItem(atPath: upload.file.path)[.size] as? Int) ?? -1
        precondition(upload.bytes <= 4096 && size == upload.bytes, "an upload of \(upload.bytes) bytes, \(size) on disk")
    } catch is ServiceError {
    } catch {
        fatalError("FormReader threw something other than a ServiceError: \(error)")
    }
    return 0
}
