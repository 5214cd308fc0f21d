import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An open `.npy` file read with `pread`: its size and header, without touching the data.
///
/// Errors are NPYErrors naming the file. The descriptor closes when the value is released.
final class NPYReadableFile {
    let path: String
    let fd: Int32
    /// The file's size in bytes when it was opened.
    let size: Int

    init(_ url: URL) throws(NPYError) {
        path = url.path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw NPYReadableFile.failure(path, "cannot open the file", errno) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let code = errno
            close(fd)
            throw NPYReadableFile.failure(path, "cannot stat the file", code)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw NPYError(file: path, reason: "not a regular file (expected a .npy file)")
        }
        size = Int(status.st_size)
    }

    deinit { close(fd) }

    /// Reads the preamble, then exactly the header it declares, and parses them.
    func header(accepting accepted: [NPYDType] = NPYDType.allCases) throws -> NPYFileHeader {
        do {
            let start = try bytes(0..<min(size, 12))
            let (_, headerStart, headerLength) = try start.withUnsafeBytes { (raw) throws(HeaderProblem) in
                try NPYHeader.preamble(raw)
            }
            // Never more than the file holds, so a huge declared length cannot allocate much.
            let all = try bytes(0..<min(size, headerStart + headerLength))
            return try all.withUnsafeBytes { (raw) throws(HeaderProblem) in
                try NPYFileHeader.decode(raw, accepting: accepted)
            }
        } catch let problem as HeaderProblem {
            throw NPYError(file: path, reason: problem.reason)
        }
    }

    /// The bytes at `range`, read in full (retrying short reads and interrupts).
    private func bytes(_ range: Range<Int>) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: range.count)
        var done = 0
        try buffer.withUnsafeMutableBytes { raw in
            while done < range.count {
                let n = pread(fd, raw.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw NPYReadableFile.failure(path, "cannot read the file", n < 0 ? errno : EIO) }
                done += n
            }
        }
        return buffer
    }

    /// An NPYError for a failed system call, with the system's reason.
    static func failure(_ path: String, _ what: String, _ code: Int32) -> NPYError {
        NPYError(file: path, reason: "\(what) (\(String(cString: strerror(code))))")
    }
}
