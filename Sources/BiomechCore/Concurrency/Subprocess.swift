import Foundation

/// Runs an external program to completion, capturing what it printed.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        /// Standard output and standard error, interleaved.
        public var output: String
    }

    /// Runs `program` with `arguments`; a program that cannot start gives status 127 and the reason.
    ///
    /// With `standardOutput`, standard output is written to that file instead (e.g. JSON to parse),
    /// and `output` holds standard error alone.
    public static func run(_ program: String, _ arguments: [String], standardOutput: URL? = nil) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        // Output goes to a temporary file, not a pipe, so a chatty program cannot fill a pipe and block.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            return Result(status: 127, output: "cannot create \(log.path)")
        }
        defer { try? FileManager.default.removeItem(at: log) }
        guard let handle = try? FileHandle(forWritingTo: log) else {
            return Result(status: 127, output: "cannot create \(log.path)")
        }
        var outputHandle: FileHandle?
        if let standardOutput {
            guard FileManager.default.createFile(atPath: standardOutput.path, contents: nil),
                  let out = try? FileHandle(forWritingTo: standardOutput) else {
                return Result(status: 127, output: "cannot create \(standardOutput.path)")
            }
            outputHandle = out
        }
        defer { try? outputHandle?.close() }
        process.standardOutput = outputHandle ?? handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return Result(status: 127, output: "cannot start \(program): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        try? handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, output: output)
    }
}
