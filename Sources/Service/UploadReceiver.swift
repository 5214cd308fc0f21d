import BiomechCore
import Foundation
import Hummingbird
import MultipartKit
import Synchronization

/// An upload stored on disk: the video's file and the form's other fields.
struct Upload: Sendable {
    var file: URL
    var bytes: Int
    /// The client's name for the file (multipart `filename`), else `upload`.
    var name: String
    /// Small text fields of a multipart form (`exercise`, `body_mass`, `load`, `annotated`).
    var fields: [String: String]
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

/// One way of turning body chunks into an `Upload`.
protocol BodyReader {
    mutating func consume(_ chunk: ByteBuffer) throws
    /// The upload, once the body has ended; throws when the body was incomplete.
    mutating func finish() throws -> Upload
    /// The body stopped early: close the file (the caller removes the folder).
    mutating func abandon()
}

/// A raw `video/*` body.
struct RawReader: BodyReader {
    private var file: UploadFile

    init(folder: URL, maxBytes: Int, subType: String) throws {
        file = try UploadFile(folder: folder, name: "upload.\(subType)", maxBytes: maxBytes)
    }

    mutating func consume(_ chunk: ByteBuffer) throws { try file.write(chunk) }
    mutating func finish() throws -> Upload {
        file.close()
        return Upload(file: file.url, bytes: file.bytes, name: "upload", fields: [:])
    }
    mutating func abandon() { file.close() }
}

/// A `multipart/form-data` body, parsed by MultipartKit as it streams: the `video` part goes to a file.
struct FormReader: BodyReader {
    /// What MultipartKit's callbacks build up (they cannot throw, so errors wait here).
    private final class Parts {
        var headers: [String: String] = [:]
        var inPart = false
        var current: String?
        var video: UploadFile?
        var videoName = "upload"
        var videoDone = false
        var fieldBytes: [UInt8] = []
        /// The current part is a file other than `video`: not kept.
        var skipping = false
        /// A part's body (or its end) came during the current chunk: the parser is not stuck in headers.
        var sawBody = false
        var fields: [String: String] = [:]
        var error: ServiceError?
        let folder: URL, maxBytes: Int
        init(folder: URL, maxBytes: Int) { self.folder = folder; self.maxBytes = maxBytes }
    }
    private let parser: MultipartParser
    private let parts: Parts

    init(boundary: String, folder: URL, maxBytes: Int) throws {
        parser = MultipartParser(boundary: boundary)
        let parts = Parts(folder: folder, maxBytes: maxBytes)
        self.parts = parts
        parser.onHeader = { name, value in
            parts.inPart = true
            parts.headers[name.lowercased()] = value
        }
        parser.onBody = { buffer in
            parts.sawBody = true
            guard parts.error == nil else { return }
            if parts.current == nil { Self.open(parts) }
            do {
                if parts.current == "video" { try parts.video?.write(buffer) } else if !parts.skipping {
                    parts.fieldBytes += buffer.readableBytesView
                    if parts.fieldBytes.count > UploadReceiver.maxFieldBytes {
                        throw ServiceError.badRequest("field_too_long", "form field '\(parts.current ?? "")' is longer than \(UploadReceiver.maxFieldBytes) bytes")
                    }
                }
            } catch let error as ServiceError { parts.error = error } catch { parts.error = .internal("\(error)") }
        }
        parser.onPartComplete = {
            parts.sawBody = true
            guard parts.error == nil else { return }
            if parts.current == nil { Self.open(parts) }
            if parts.current == "video" {
                parts.video?.close()
                parts.videoDone = true
            } else if let name = parts.current, !parts.skipping {
                parts.fields[name] = String(decoding: parts.fieldBytes, as: UTF8.self)
            }
            parts.skipping = false
            parts.headers = [:]
            parts.inPart = false
            parts.current = nil
            parts.fieldBytes = []
        }
    }

    /// Starts a part from its headers: the `video` field opens the upload file.
    private static func open(_ parts: Parts) {
        let disposition = ContentDisposition(parts.headers["content-disposition"] ?? "")
        guard let name = disposition.name else {
            parts.error = .badRequest("malformed_multipart", "a multipart part has no Content-Disposition name")
            parts.current = ""
            return
        }
        parts.current = name
        guard name == "video" else {
            // Another file (a wrong field name): its bytes are skipped, and the form then lacks its video.
            parts.skipping = disposition.filename != nil
            return
        }
        guard parts.video == nil else {
            parts.error = .badRequest("malformed_multipart", "the form has more than one 'video' field")
            return
        }
        let filename = disposition.filename ?? "upload"
        parts.videoName = URL(fileURLWithPath: filename).lastPathComponent
        let ext = URL(fileURLWithPath: filename).pathExtension
        let safe = !ext.isEmpty && ext.count <= 5 && ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        do { parts.video = try UploadFile(folder: parts.folder, name: safe ? "upload.\(ext)" : "upload", maxBytes: parts.maxBytes) } catch let error as ServiceError {
            parts.error = error
        } catch { parts.error = .internal("\(error)") }
    }

    /// Bytes read since a part last had body: the parser keeps headers (and skips a preamble) in memory or
    /// scans them, so an endless header or preamble is cut off here.
    private var withoutBody = 0
    static let maxBytesWithoutBody = 256 * 1024

    mutating func consume(_ chunk: ByteBuffer) throws {
        parts.sawBody = false
        do { try parser.execute(chunk) } catch {
            throw ServiceError.badRequest("malformed_multipart", "the multipart body does not parse (MultipartKit: \(error))")
        }
        if let error = parts.error { throw error }
        withoutBody = parts.sawBody ? 0 : withoutBody + chunk.readableBytes
        if withoutBody > Self.maxBytesWithoutBody {
            throw ServiceError.badRequest("malformed_multipart", "more than \(Self.maxBytesWithoutBody / 1024) KiB of multipart preamble or part headers without a body: not a form upload")
        }
    }

    mutating func finish() throws -> Upload {
        if let error = parts.error { throw error }
        guard let video = parts.video else {
            throw ServiceError.badRequest("no_video_field", "the form has no 'video' file field: send the video as multipart field video (curl -F video=@clip.mp4)")
        }
        guard parts.videoDone else {
            video.close()
            throw ServiceError.badRequest("malformed_multipart", "the multipart body ended before its closing boundary: the upload was cut short")
        }
        return Upload(file: video.url, bytes: video.bytes, name: parts.videoName, fields: parts.fields)
    }

    mutating func abandon() { parts.video?.close() }
}

/// `form-data; name="video"; filename="clip.mp4"`, read into its two parameters.
struct ContentDisposition {
    var name: String?
    var filename: String?

    init(_ header: String) {
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            var value = pair[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            switch pair[0].lowercased() {
            case "name": name = value
            case "filename": filename = value
            default: break
            }
        }
    }
}

/// The upload's file: written as chunks come, counted against the cap.
final class UploadFile {
    let url: URL
    private(set) var bytes = 0
    private let maxBytes: Int
    private var fd: Int32

    init(folder: URL, name: String, maxBytes: Int) throws {
        url = folder.appendingPathComponent(name)
        self.maxBytes = maxBytes
        fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ServiceError.internal("cannot create the upload file: \(String(cString: strerror(errno)))") }
    }

    func write(_ chunk: ByteBuffer) throws {
        bytes += chunk.readableBytes
        guard bytes <= maxBytes else {
            throw ServiceError.tooLarge("the upload passed \(Format.bytes(Int64(maxBytes))), the most this service takes (--max-upload)")
        }
        try chunk.withUnsafeReadableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ServiceError(.init(code: 507, reasonPhrase: "Insufficient Storage"), "disk_full", "the service cannot store the upload: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
