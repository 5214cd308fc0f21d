import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes whole files so that readers see either the old content or the new, never a mix.
///
/// The data goes to a hidden temporary name beside the target, is flushed to disk, and is then
/// renamed over the target; the folder is synced so the rename itself survives a crash.
public enum AtomicFile {
    /// Atomically replaces `url` with `data`, creating the parent folder when needed.
    public static func write(_ data: Data, to url: URL) throws {
        let (temporary, fd) = try createTemporary(beside: url)
        do {
            try data.withUnsafeBytes { raw in
                try writeAll(fd: fd, raw, path: temporary.path)
            }
        } catch {
            close(fd)
            unlink(temporary.path)
            throw error
        }
        try commit(fd: fd, temporary: temporary, to: url)
    }

    /// Creates an empty hidden temporary file beside `url` (creating the folder), open for writing.
    ///
    /// For writers that produce a file piece by piece: write to `fd`, then `commit`, or on
    /// failure close `fd` and unlink the temporary. The name starts with a dot, out of globs.
    public static func createTemporary(beside url: URL) throws -> (url: URL, fd: Int32) {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError.posix("create", temporary.path, errno: errno) }
        return (temporary, fd)
    }

    /// Flushes and closes `fd`, then renames `temporary` over `url`; on failure removes `temporary`.
    public static func commit(fd: Int32, temporary: URL, to url: URL) throws {
        var ok = false
        defer {
            if !ok { unlink(temporary.path) }
        }
        guard fsync(fd) == 0 else {
            let code = errno
            close(fd)
            throw FileError.posix("sync", temporary.path, errno: code)
        }
        close(fd)
        try rename(temporary, to: url)
        ok = true
    }

    /// Renames `source` to `target` (replacing it) and syncs the target's folder.
    public static func rename(_ source: URL, to target: URL) throws {
        guard Glibc.rename(source.path, target.path) == 0 else {
            throw FileError.posix("rename \(source.lastPathComponent) to", target.path, errno: errno)
        }
        syncFolder(target.deletingLastPathComponent())
    }

    /// Flushes a folder's entries (new names, renames) to disk; best effort.
    public static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Writes every byte of `buffer` to `fd`, retrying short writes and interrupts.
    public static func writeAll(fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.posix("write", path, errno: errno)
            }
            offset += n
        }
    }
}
