import BiomechCore
import Foundation

/// What `biomech-analyze` is asked to do.
public struct AnalyzeOptions: Sendable {
    /// A checkpoint of `biomech-train fit`.
    public var model: String
    /// A video file, `-` (a stream on standard input), `/dev/videoN` (a webcam), or a sequence `.npy`.
    public var source: String
    /// `auto`, or an exercise name of the catalog's vocabulary (aliases allowed).
    public var exercise = "auto"
    public var json: String?
    public var output: String?
    public var summary: String?
    /// Frames between window starts (windows are the checkpoint's length, 60).
    public var stride = 15
    public var bodyMass = 75.0
    /// External load, kg; nil is the exercise's default fraction of body mass (docs/LABELS.md).
    public var load: Double?
    /// One JSON line per window on standard output as results arrive.
    public var stream = false
    /// Long side of the annotated video; nil keeps the input's size.
    public var maxSide: Int?
    /// Threads for the model (and its BLAS calls).
    public var threads = 1

    public init(model: String, source: String) {
        self.model = model
        self.source = source
    }
}

/// Where the frames come from.
public enum AnalysisSource: Sendable, Equatable {
    case video(String)
    case standardInput
    case device(String)
    case sequence(String)

    public init(_ text: String) {
        if text == "-" { self = .standardInput }
        else if text.hasPrefix("/dev/video") { self = .device(text) }
        else if text.hasSuffix(".npy") { self = .sequence(text) }
        else { self = .video(text) }
    }

    /// `video`, `stdin`, `device` or `sequence`.
    public var kind: String {
        switch self {
        case .video: return "video"
        case .standardInput: return "stdin"
        case .device: return "device"
        case .sequence: return "sequence"
        }
    }

    public var isLive: Bool { self == .standardInput || kind == "device" }
}

/// Why an analysis could not be done: bad usage (exit 2) or input that cannot be analysed (exit 1).
public struct AnalysisError: BiomechError {
    public var message: String
    public var exitCode: Int32
    /// What about the input failed, for callers that answer differently (the HTTP service's status codes).
    public var cause: Cause = .other
    /// Frames decoded before the failure, when the video was read.
    public var framesDecoded: Int?
    public var description: String { message }

    /// The input's fault, when it is one; `.other` for everything else (setup, disk, bugs).
    public enum Cause: String, Sendable, Codable {
        /// libav cannot open or decode it: not a video, or a damaged one.
        case undecodable
        /// Some frames decode, then the file stops making sense: cut short or corrupted.
        case damaged
        /// Decoded, but MediaPipe found no person on any frame.
        case noPerson
        /// Shorter than one window, or no window with enough of the person in it.
        case tooShort
        case other
    }

    public static func usage(_ message: String) -> AnalysisError { AnalysisError(message: message, exitCode: ExitStatus.usage) }
    public static func failure(_ message: String, cause: Cause = .other, frames: Int? = nil) -> AnalysisError {
        AnalysisError(message: message, exitCode: ExitStatus.failure, cause: cause, framesDecoded: frames)
    }
}
