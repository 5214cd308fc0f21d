import CatalogStore
import Foundation
import Pose

/// One video for a worker: where to read it, where to write its sequence, and how.
public struct ExtractJob: Codable, Sendable, Equatable {
    public var videoID: Int64
    /// Absolute path of the video file.
    public var input: String
    /// Absolute path of the sequence's `.npy`; `.world.npy` and `.json` go beside it.
    public var output: String
    public var source: SequenceSource
    public var settings: ExtractSettings
    public var backend: PoseBackend
    public var settingsSHA256: String
    /// libavcodec frame threads for this worker.
    public var decoderThreads: Int
    /// Fault injection for the tests: the worker SIGKILLs itself after this many frames of this video.
    public var killAfterFrames: Int?
}

/// Where a sequence's video came from, as its `.json` records it.
public struct SequenceSource: Codable, Sendable, Equatable {
    public var dataset: String
    /// Relative to the dataset's `files/` folder.
    public var path: String
    public var sha256: String
    public var exercise: String?, quality: String?
    public var split: String
}

/// How one video went, as the worker reports it.
public struct ExtractOutcome: Codable, Sendable, Equatable {
    public var status: SequenceStatus
    public var message: String?
    /// Frames kept after resampling.
    public var frames: Int
    public var fps: Double?
    public var detectedFraction: Double?
    public var meanVisibility: Double?
    /// Wall time of the whole video, and the part of it inside the pose model.
    public var seconds: Double
    public var poseSeconds: Double
    /// CPU time of the decoding thread (decode, scale, convert), which runs beside the pose model.
    public var decodeCPUSeconds = 0.0

    public static func failed(_ status: SequenceStatus, _ message: String, frames: Int = 0, seconds: Double = 0,
                              poseSeconds: Double = 0) -> ExtractOutcome {
        ExtractOutcome(status: status, message: message, frames: frames, fps: nil, detectedFraction: nil, meanVisibility: nil,
                       seconds: seconds, poseSeconds: poseSeconds)
    }
}

/// A line from the parent to a worker.
enum ParentMessage: Codable {
    case job(ExtractJob)
    /// No more work: the worker exits.
    case stop
}

/// A line from a worker to the parent.
enum WorkerMessage: Codable {
    /// Started; `network` says whether MediaPipe's telemetry is cut off (nil) or why not.
    case ready(networkNotIsolated: String?)
    /// Frames done so far in the current video.
    case progress(frames: Int)
    case done(ExtractOutcome)
    /// The worker cannot work at all (e.g. MediaPipe setup is missing); it exits after this.
    case fatal(message: String, exitCode: Int32)
}
