/// A failure a user can act on, with the exit code the command should end with.
///
/// Every stage's public error types conform, so the executables map errors to exit codes the
/// same way: 2 for bad usage or configuration, 1 for a failure of the work itself.
public protocol BiomechError: Error, CustomStringConvertible {
    /// The process exit code this error should produce.
    var exitCode: Int32 { get }
}

/// Exit codes shared by every biomech command.
public enum ExitStatus {
    /// Everything asked for succeeded (waiting manual steps included).
    public static let success: Int32 = 0
    /// Some of the work failed.
    public static let failure: Int32 = 1
    /// Bad usage or a bad configuration file: nothing was attempted.
    public static let usage: Int32 = 2
}

/// A bad configuration file: names the file, the line when known, the key and what was expected.
public struct ConfigurationError: BiomechError {
    public var file: String
    public var line: Int?
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var exitCode: Int32 { ExitStatus.usage }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key, !key.isEmpty { return "\(location): key '\(key)': \(message)" }
        return "\(location): \(message)"
    }
}

/// A failed operation on a file or folder: names the path and the system's reason.
public struct FileError: BiomechError {
    public var path: String
    public var operation: String
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    /// Builds the error from the current `errno`.
    public static func posix(_ operation: String, _ path: String, errno code: Int32) -> FileError {
        FileError(path: path, operation: operation, reason: String(cString: strerror(code)))
    }

    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String { "\(path): cannot \(operation): \(reason)" }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
