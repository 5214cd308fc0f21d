import Foundation

/// One upload for an analysis worker: where the video is, what to ask, where the outputs go.
public struct AnalysisRequest: Codable, Sendable, Equatable {
    /// Absolute path of the uploaded video (inside the job's private folder).
    public var video: String
    /// The name the client gave the file, for the report's `input`.
    public var name: String
    public var exercise = "auto"
    public var bodyMass = 75.0
    public var load: Double?
    /// Write `annotated.mp4` (the risk-heatmap video) beside the report.
    public var annotated = false
    /// Write `summary.png` beside the report.
    public var summary = false
    /// The job's folder: `report.json`, `annotated.mp4` and `summary.png` go here.
    public var folder: String
    /// Longest video accepted, in seconds.
    public var maxDuration: Double

    public init(video: String, name: String, folder: String, maxDuration: Double) {
        self.video = video
        self.name = name
        self.folder = folder
        self.maxDuration = maxDuration
    }
}

/// How one analysis ended, as the HTTP answer will say it.
public struct AnalysisOutcome: Codable, Sendable, Equatable {
    /// 200 when the report was written; otherwise the HTTP status of the error.
    public var status: Int
    /// A stable machine name for the error (`not_a_video`, `no_person`, ...), nil on success.
    public var code: String?
    public var message: String?
    /// Wall seconds the worker spent.
    public var seconds: Double

    public var succeeded: Bool { status == 200 }

    public static func ok(seconds: Double) -> AnalysisOutcome { AnalysisOutcome(status: 200, code: nil, message: nil, seconds: seconds) }
    public static func failed(_ error: ServiceError, seconds: Double = 0) -> AnalysisOutcome {
        AnalysisOutcome(status: Int(error.status.code), code: error.code, message: error.message, seconds: seconds)
    }
}

/// A line from the service to a worker.
enum ServeParentMessage: Codable {
    case analyse(AnalysisRequest)
    case stop
}

/// A line from a worker to the service.
enum ServeWorkerMessage: Codable {
    /// Loaded the checkpoint and MediaPipe's files; `networkNotIsolated` says why telemetry is not cut off, if it is not.
    case ready(networkNotIsolated: String?)
    case done(AnalysisOutcome)
    /// The worker cannot work at all (a bad checkpoint, missing setup); it exits after this.
    case fatal(message: String, exitCode: Int32)
}
