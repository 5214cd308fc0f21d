import Foundation

/// The parent's handle on one worker process: its message pipes, its log, how it ended.
public final class WorkerProcess: @unchecked Sendable {
    public let channel: MessageChannel
    private let process = Process()
    private let toWorker = Pipe(), fromWorker = Pipe()
    /// The worker's standard error (MediaPipe's and libav's messages), kept for crash reports.
    private let log: URL
    private let logHandle: FileHandle

    public var pid: Int32 { process.processIdentifier }

    /// Starts `command` (an executable and its arguments, e.g. biomech-extract's `worker`).
    public init(command: [String], log: URL) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        logHandle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = toWorker
        process.standardOutput = fromWorker
        process.standardError = logHandle
        try process.run()
        channel = MessageChannel(input: fromWorker.fileHandleForReading.fileDescriptor,
                                 output: toWorker.fileHandleForWriting.fileDescriptor)
    }

    /// Bytes in the log so far: where the current video's messages start.
    public var logSize: UInt64 { (try? FileManager.default.attributesOfItem(atPath: log.path)[.size] as? UInt64) ?? 0 }

    /// The last few lines the worker printed after `offset`, on one line.
    public func logTail(since offset: UInt64, lines: Int = 4) -> String {
        guard let handle = try? FileHandle(forReadingFrom: log) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).suffix(lines).map { String($0.prefix(300)) }.joined(separator: " | ")
    }

    public func kill() { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

    /// Closes the pipes, waits for the exit, and says how it ended, e.g. "was killed by signal 9 (SIGKILL)".
    public func finish() -> String {
        try? toWorker.fileHandleForWriting.close()
        process.waitUntilExit()
        try? fromWorker.fileHandleForReading.close()
        try? logHandle.close()
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal {
            let name = strsignal(status).map { String(cString: $0) } ?? "?"
            return "was killed by signal \(status) (\(name))"
        }
        return "exited with status \(status)"
    }

    /// Removes the log.
    public func removeLog() { try? FileManager.default.removeItem(at: log) }
}
