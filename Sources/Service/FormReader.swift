import Foundation
import MultipartKit
import NIOCore

/// A `multipart/form-data` body, parsed by MultipartKit as it streams: the `video` part goes to a file.
public struct FormReader: BodyReader {
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
    private var guardrail: MultipartGuard

    public init(boundary: String, folder: URL, maxBytes: Int) throws {
        parser = MultipartParser(boundary: boundary)
        guardrail = MultipartGuard(boundary: boundary)
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

    public mutating func consume(_ chunk: ByteBuffer) throws {
        parts.sawBody = false
        try guardrail.check(chunk)
        do { try parser.execute(chunk) } catch {
            throw ServiceError.badRequest("malformed_multipart", "the multipart body does not parse (MultipartKit: \(error))")
        }
        if let error = parts.error { throw error }
        withoutBody = parts.sawBody ? 0 : withoutBody + chunk.readableBytes
        if withoutBody > Self.maxBytesWithoutBody {
            throw ServiceError.badRequest("malformed_multipart", "more than \(Self.maxBytesWithoutBody / 1024) KiB of multipart preamble or part headers without a body: not a form upload")
        }
    }

    public mutating func finish() throws -> Upload {
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

    public mutating func abandon() { parts.video?.close() }
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
