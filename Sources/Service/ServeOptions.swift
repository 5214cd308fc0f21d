import BiomechCore
import Foundation

/// What `biomech-serve` is asked to do.
public struct ServeOptions: Sendable {
    /// A checkpoint of `biomech-train fit`.
    public var model: String
    public var host = "127.0.0.1"
    public var port = 8080
    /// Analysis worker processes (each a core's worth of pose and model).
    public var workers = 2
    /// Largest upload, bytes.
    public var maxUpload = 200 << 20
    /// Longest video, seconds of footage.
    public var maxDuration = 120.0
    /// Jobs that may wait for a worker (uploads in flight count too); more get 503.
    public var queue = 16
    public var apiKeyFile: String?
    /// Seconds from a request's arrival to its answer (upload, queue and analysis); then 504.
    public var deadline = 300.0
    /// Seconds a client may stop sending in the middle of an upload; then 408.
    public var uploadIdle = 15.0
    /// Seconds a finished job's results stay downloadable.
    public var keepResults = 3600.0
    /// At most this many finished jobs are kept.
    public var maxKeptJobs = 256
    /// Parent of the service's private folder (uploads and results); default the system's temporary folder.
    public var workRoot: String?
    /// Starts one analysis worker: the executable and its arguments.
    public var workerCommand: [String]

    public init(model: String, workerCommand: [String]) {
        self.model = model
        self.workerCommand = workerCommand
    }

    /// Checks the values before anything starts.
    public func validate() throws {
        guard FileManager.default.fileExists(atPath: model) else { throw ServeOptionsError("--model \(model): no such checkpoint") }
        guard (0...65535).contains(port) else { throw ServeOptionsError("--port must be 0 to 65535, not \(port)") }
        guard (1...256).contains(workers) else { throw ServeOptionsError("--workers must be 1 to 256, not \(workers)") }
        guard queue >= 0 else { throw ServeOptionsError("--queue must be 0 or more, not \(queue)") }
        guard maxUpload >= 1024 else { throw ServeOptionsError("--max-upload must be at least 1K") }
        guard maxDuration > 0 else { throw ServeOptionsError("--max-duration must be more than 0 s") }
        guard deadline >= 1 else { throw ServeOptionsError("--deadline must be at least 1 s") }
        guard uploadIdle > 0 else { throw ServeOptionsError("--upload-idle must be more than 0 s") }
    }
}

/// Bad options or configuration (exit 2).
public struct ServeOptionsError: BiomechError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var exitCode: Int32 { ExitStatus.usage }
    public var description: String { message }
}
