import BiomechCore
import Foundation
import NIOCore

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
