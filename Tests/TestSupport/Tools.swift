import Foundation

/// Runs programs from tests: the built biomech executables and the tools that make fixtures.
public enum Tools {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var all: String { stdout + stderr }
    }

    /// The folder holding the built executables (beside the test bundle).
    public static var productsFolder: URL {
        if let override = ProcessInfo.processInfo.environment["BIOMECH_BIN_DIR"] { return URL(fileURLWithPath: override) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("biomech-fetch").path) { return folder }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug").standardized
    }

    /// The path of a built executable such as `biomech-fetch`.
    public static func product(_ name: String) -> String { productsFolder.appendingPathComponent(name).path }

    /// Starts `program` (a path, or a name looked up on PATH) without waiting.
    public static func start(_ program: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
                             directory: URL? = nil) throws -> (Process, stdout: URL, stderr: URL) {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter { !removing.contains($0.key) }
        if let directory { process.currentDirectoryURL = directory }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-err-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: out.path, contents: nil),
              FileManager.default.createFile(atPath: err.path, contents: nil) else {
            throw FixtureError("cannot create output files in \(FileManager.default.temporaryDirectory.path)")
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// A started program whose standard error a test reads as it comes, to wait for a message.
    public final class Watched {
        public let process: Process
        private let stderr: FileHandle
        private var received = Data()

        init(process: Process, stderr: FileHandle) {
            self.process = process
            self.stderr = stderr
        }

        /// Standard error read so far.
        public var stderrText: String { String(decoding: received, as: UTF8.self) }

        /// Reads standard error until it contains `text`; false when the program closed it first.
        @discardableResult
        public func waitForStderr(containing text: String) -> Bool {
            while !stderrText.contains(text) {
                let chunk = stderr.availableData
                if chunk.isEmpty { return false }
                received.append(chunk)
            }
            return true
        }

        /// Reads the rest of standard error, waits for the exit and returns the status.
        public func finish() -> Int32 {
            received.append(stderr.readDataToEndOfFile())
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Starts `program` at `path` with standard error on a pipe (standard output is discarded).
    public static func startWatched(_ path: String, _ arguments: [String]) throws -> Watched {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try errors.fileHandleForWriting.close()
        return Watched(process: process, stderr: errors.fileHandleForReading)
    }

    /// Runs `program` to completion and returns its status and output.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
                           directory: URL? = nil) throws -> Result {
        let (process, out, err) = try start(program, arguments, environment: environment, removing: removing, directory: directory)
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs a Python 3 snippet with `arguments` in `sys.argv[1:]`; throws when it fails.
    public static func python(_ code: String, _ arguments: [String] = []) throws {
        let result = try run("python3", ["-c", code] + arguments)
        guard result.status == 0 else { throw FixtureError("python3 failed: \(result.all)") }
    }

    /// Runs a program and throws with its output when it fails.
    public static func require(_ program: String, _ arguments: [String], directory: URL? = nil) throws {
        let result = try run(program, arguments, directory: directory)
        guard result.status == 0 else { throw FixtureError("\(program) \(arguments.joined(separator: " ")) failed: \(result.all)") }
    }
}
