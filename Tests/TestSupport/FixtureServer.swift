import BiomechCore
import Foundation
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 (`fixture_server.py`) serving a folder, with fault injection.
///
/// Paths such as `/drop/1/file.bin` or `/retry-after/1/1/file.bin` inject faults; see the script's
/// docstring. `/hold/NAME/N/file` holds a response halfway until `release(NAME)`: tests wait on
/// such events (`waitUntilHeld`, `requests()`), never on the clock. The server stops when this
/// value is released.
public final class FixtureServer: @unchecked Sendable {
    public let root: TemporaryFolder
    public let port: Int
    private let process: Process
    private let logFile: URL
    private let control: FileHandle
    private let events: EventLines
    /// Tokens for SYNC requests, unique per call.
    private let syncs = Atomic<Int>(0)

    /// One request as the server logged it.
    public struct Request: Decodable, Sendable {
        public var path: String
        public var method: String
        public var range: String?
        public var status: Int
        public var bytes_sent: Int
        public var fault: String?
        public var time: Double?
    }

    /// Serves a new temporary folder, or `folder` when given (e.g. the benchmark's inputs).
    public init(serving folder: URL? = nil) throws {
        root = try folder.map(TemporaryFolder.init(existing:)) ?? TemporaryFolder("biomech-www")
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-www-\(UUID().uuidString.prefix(8)).log")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--root", root.path, "--port", "0", "--log", logFile.path, "--control"]
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        control = input.fileHandleForWriting
        try process.run()
        events = EventLines(output.fileHandleForReading)
        // The first line is `PORT <n>`.
        let text = events.next() ?? ""
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw FixtureError("fixture server did not start: '\(text)'")
        }
        self.port = port
    }

    /// The URL of `path` (which may start with a fault prefix).
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// Every request served so far, in the order they arrived.
    ///
    /// The server logs a request once its response is sent, which can be a moment after the client
    /// saw the last byte; so this first waits until the server is handling no request at all.
    /// Log lines come in the order handlers finished (a closing 404 can finish after the next
    /// request's 200), so they are put back in order of their start times.
    /// Release held requests (`release`) before calling it.
    public func requests() -> [Request] {
        let token = "\(syncs.add(1, ordering: .relaxed).newValue)"
        send("SYNC \(token)")
        events.wait(for: "SYNCED \(token)")
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        let logged = text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
        return logged.enumerated().sorted { ($0.element.time ?? 0, $0.offset) < ($1.element.time ?? 0, $1.offset) }.map(\.element)
    }

    /// Returns once a `/hold/NAME/...` response has sent half its body and is waiting for `release(NAME)`.
    public func waitUntilHeld(_ name: String) throws {
        guard events.wait(for: "HELD \(name)") else { throw FixtureError("fixture server ended before holding '\(name)'") }
    }

    /// Lets responses held under `name` finish (and later ones pass without holding).
    public func release(_ name: String) { send("RELEASE \(name)") }

    private func send(_ line: String) {
        try? control.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Requests whose path ends with `suffix`.
    public func requests(for suffix: String) -> [Request] { requests().filter { $0.path.hasSuffix(suffix) } }

    deinit {
        try? control.close()
        // SIGKILL: a stalled or held fault handler must not keep a finished test waiting.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFile)
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fixture_server.py").path
    }
}

/// The server's standard output as lines, read on a thread of its own; waits block until a line arrives.
private final class EventLines: @unchecked Sendable {
    private let condition = NSCondition()
    private var lines: [String] = []
    private var consumed = 0
    private var ended = false

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                condition.lock()
                if chunk.isEmpty {
                    ended = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
                condition.broadcast()
                condition.unlock()
            }
        }
        thread.start()
    }

    /// The next line not yet returned by `next`, or nil once the output ended.
    func next() -> String? {
        condition.lock(); defer { condition.unlock() }
        while consumed == lines.count && !ended { condition.wait() }
        guard consumed < lines.count else { return nil }
        consumed += 1
        return lines[consumed - 1]
    }

    /// Waits until `line` has been printed (at any time so far); false when the output ended without it.
    @discardableResult
    func wait(for line: String) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while !lines.contains(line) && !ended { condition.wait() }
        return lines.contains(line)
    }
}

/// A fixture that could not be set up.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension FixtureServer {
    /// A new server serving `file.bin` (`size` pseudo-random bytes), a fresh output folder, the bytes and their SHA-256:
    /// where the downloader tests start.
    public static func servingOneFile(size: Int, seed: UInt64) throws -> (FixtureServer, TemporaryFolder, Data, String) {
        let server = try FixtureServer()
        let payload = pseudoRandomBytes(size, seed: seed)
        try server.root.write("file.bin", payload)
        return (server, try TemporaryFolder(), payload, try FileDigest.sha256(ofFile: server.root("file.bin").path).hex)
    }
}
