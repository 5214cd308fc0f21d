import Foundation

/// A real HTTP/1.1 server on 127.0.0.1 (`fixture_server.py`) serving a folder, with fault injection.
///
/// Paths such as `/drop/1/file.bin` or `/retry-after/1/1/file.bin` inject faults; see the script's
/// docstring. The server stops when this value is released.
public final class FixtureServer: @unchecked Sendable {
    public let root: TemporaryFolder
    public let port: Int
    private let process: Process
    private let logFile: URL

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
        process.arguments = ["python3", Self.script, "--root", root.path, "--port", "0", "--log", logFile.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The first line is `PORT <n>`.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw FixtureError("fixture server did not start: '\(text)'")
        }
        self.port = port
    }

    /// The URL of `path` (which may start with a fault prefix).
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// Every request served so far, in order.
    ///
    /// The server logs a request once its response is sent, which can be a moment after the client
    /// saw the last byte; so this waits until the log stops changing.
    public func requests() -> [Request] {
        var text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        for _ in 0..<20 {
            Thread.sleep(forTimeInterval: 0.1)
            let again = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            if again == text { break }
            text = again
        }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// Requests whose path ends with `suffix`.
    public func requests(for suffix: String) -> [Request] { requests().filter { $0.path.hasSuffix(suffix) } }

    deinit {
        // SIGKILL: a stalled fault handler must not keep a finished test waiting.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFile)
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fixture_server.py").path
    }
}

/// A fixture that could not be set up.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
