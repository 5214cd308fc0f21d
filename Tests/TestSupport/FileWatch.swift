import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits for a state another process brings about in a folder, on kernel events rather than the clock.
///
/// The condition is checked at the start, after every change in the folder (inotify) and when the
/// process exits (its termination handler writes to a pipe): no sleep, no polling interval, no deadline.
public enum FileWatch {
    /// Returns once `condition()` holds, or once `process` has exited (the caller then checks why).
    public static func wait(in folder: URL, while process: Process, until condition: () -> Bool) throws {
        let notify = inotify_init1(Int32(IN_CLOEXEC))
        guard notify >= 0 else { throw FixtureError("inotify_init1: \(String(cString: strerror(errno)))") }
        defer { close(notify) }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO)
        guard inotify_add_watch(notify, folder.path, mask) >= 0 else {
            throw FixtureError("inotify_add_watch \(folder.path): \(String(cString: strerror(errno)))")
        }
        let exited = Pipe()
        process.terminationHandler = { _ in try? exited.fileHandleForWriting.write(contentsOf: [1]) }
        defer { process.terminationHandler = nil }
        // Set after the start: a process that ended before the handler was in place is seen here instead.
        if !process.isRunning { return }
        let exitedFD = exited.fileHandleForReading.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !condition() {
            var fds = [pollfd(fd: notify, events: Int16(POLLIN), revents: 0), pollfd(fd: exitedFD, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { throw FixtureError("poll: \(String(cString: strerror(errno)))") }
            if fds[1].revents != 0 { return }
            if fds[0].revents != 0 { _ = read(notify, &buffer, buffer.count) }
        }
    }
}
