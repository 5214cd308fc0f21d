import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock on a file (`flock`), held until `unlock()` or process exit.
///
/// Two processes working on the same folder take the same lock file, so one waits for the
/// other instead of both writing. The kernel drops the lock when a process dies, even by SIGKILL.
public final class FileLock: @unchecked Sendable {
    public let path: String
    private var fd: Int32

    /// Takes the lock, calling `onWait` once if another process holds it, then blocking.
    public init(path: String, onWait: (String) -> Void = { _ in }) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError.posix("open lock file", path, errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let code = errno
                close(fd)
                throw FileError.posix("lock", path, errno: code)
            }
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            onWait(holder.isEmpty ? "another process" : "process \(holder)")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(fd)
                    throw FileError.posix("lock", path, errno: code)
                }
            }
        }
        // Record the holder for the message another process prints while it waits.
        let pid = "\(getpid())\n"
        ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// Releases the lock; safe to call twice.
    public func unlock() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { unlock() }
}
