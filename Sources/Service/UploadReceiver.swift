import BiomechCore
import Foundation
import Hummingbird
import MultipartKit
import Synchronization

/// An upload stored on disk: the video's file and the form's other fields.
public struct Upload: Sendable {
    public var file: URL
    public var bytes: Int
    /// The client's name for the file (multipart `filename`), else `upload`.
    public var name: String
    /// Small text fields of a multipart form (`exercise`, `body_mass`, `load`, `annotated`).
    public var fields: [String: String]
}

/// Streams a request body to a file under a size cap: a multipart form's `video` field, or a raw `video/*` body.
///
/// Nothing is held in memory but one chunk; a client that stops sending for `idleSeconds` gets a
/// 408, and the whole upload must end by the request's deadline.
struct UploadReceiver: Sendable {
    var maxBytes: Int
    var idleSeconds: Double
    /// Small fields longer than this are refused.
    static let maxFieldBytes = 4096

    /// Reads `request`'s body into `folder/upload[.ext]`; throws a `ServiceError` naming what is wrong.
    func receive(_ request: Request, into folder: URL, deadline: Double) async throws -> Upload {
        let type = request.headers[.contentType] ?? ""
        let media = MediaType(from: type)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes + 64 * 1024 {
            throw ServiceError.tooLarge("the upload is \(Format.bytes(Int64(length))); this service takes at most \(Format.bytes(Int64(maxBytes))) (--max-upload)")
        }
        if let media, media.type == .multipart, media.subType == "form-data" {
            guard let boundary = media.parameter.flatMap({ $0.name.lowercased() == "boundary" ? $0.value : nil }), !boundary.isEmpty else {
                throw ServiceError.badRequest("malformed_multipart", "Content-Type multipart/form-data has no boundary parameter")
            }
            return try await read(request.body, folder: folder, deadline: deadline) { try FormReader(boundary: boundary, folder: folder, maxBytes: maxBytes) }
        }
        if let media, media.type == .video {
            return try await read(request.body, folder: folder, deadline: deadline) { try RawReader(folder: folder, maxBytes: maxBytes, subType: media.subType) }
        }
        throw ServiceError.notVideo("Content-Type '\(type)': send multipart/form-data with a 'video' file field (curl -F video=@clip.mp4), or a raw body with Content-Type video/*")
    }

    /// Feeds the body to `makeReader()`'s reader chunk by chunk, racing a watchdog for idle clients and the deadline.
    private func read<R: BodyReader>(_ body: RequestBody, folder: URL, deadline: Double, _ makeReader: @escaping @Sendable () throws -> R) async throws -> Upload {
        let lastChunk = Clock()
        let idle = idleSeconds
        return try await withThrowingTaskGroup(of: Upload?.self) { group in
            group.addTask {
                var reader = try makeReader()
                do {
                    for try await chunk in body {
                        lastChunk.touch()
                        try reader.consume(chunk)
                        try Task.checkCancellation()
                    }
                } catch let error as ServiceError {
                    reader.abandon()
                    throw error
                } catch {
                    reader.abandon()
                    throw Task.isCancelled ? CancellationError() : ServiceError.badRequest("upload_failed", "the upload stopped: \(error)")
                }
                return try reader.finish()
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: .milliseconds(200))
                    let now = ProcessInfo.processInfo.systemUptime
                    if now > deadline {
                        throw ServiceError(.requestTimeout, "upload_timeout", "the upload did not finish within the request's deadline")
                    }
                    let quiet = now - lastChunk.seconds
                    if quiet > idle {
                        throw ServiceError(.requestTimeout, "upload_stalled",
                                           String(format: "the client sent nothing for %.0f s in the middle of its upload (--upload-idle)", idle))
                    }
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let upload = result { return upload }
            }
            throw ServiceError.internal("the upload reader ended without a result")
        }
    }
}

/// When the last chunk came, in uptime milliseconds; shared by the reader and its watchdog.
private final class Clock: Sendable {
    private let milliseconds = Atomic<Int64>(0)
    init() { touch() }
    func touch() { milliseconds.store(Int64(ProcessInfo.processInfo.systemUptime * 1000), ordering: .relaxed) }
    var seconds: Double { Double(milliseconds.load(ordering: .relaxed)) / 1000 }
}
