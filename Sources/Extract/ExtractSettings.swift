import BiomechCore
import Foundation
import Pose
import Video

/// What decides an extracted sequence's content: any change makes every sequence out of date.
public struct ExtractSettings: Codable, Sendable, Equatable {
    /// Target frame rate; nil is the video's own rate capped at 30 (`DecodeSettings`).
    public var fps: Double?
    /// Long side of the frames given to the pose model, in pixels.
    public var maxSide: Int
    /// MediaPipe's running mode: `video` (tracking between frames) or `image` (every frame alone).
    public var mode: MediaPipePose.Mode
    /// Detection, presence and tracking confidence thresholds.
    public var minimumConfidence: Float

    public init(fps: Double? = nil, maxSide: Int = 640, mode: MediaPipePose.Mode = .video, minimumConfidence: Float = 0.5) {
        self.fps = fps
        self.maxSide = maxSide
        self.mode = mode
        self.minimumConfidence = minimumConfidence
    }

    enum CodingKeys: String, CodingKey {
        case fps, mode
        case maxSide = "max_side"
        case minimumConfidence = "min_confidence"
    }

    /// Decoder settings with `threads` libavcodec frame threads (threads change speed, never frames).
    public func decode(threads: Int) -> DecodeSettings { DecodeSettings(fps: fps, maxSide: maxSide, threads: threads) }
}

extension MediaPipePose.Mode: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "video": self = .video
        case "image": self = .image
        default: throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "mode '\(text)': expected video or image"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    public var name: String { self == .video ? "video" : "image" }
}

/// Which pose model made a sequence: the pinned library and bundle, by content.
public struct PoseBackend: Codable, Sendable, Equatable {
    public var name = "mediapipe"
    public var version = "0.10.35"
    public var model = "pose_landmarker_full"
    public var librarySHA256: String
    public var modelSHA256: String

    enum CodingKeys: String, CodingKey {
        case name, version, model
        case librarySHA256 = "library_sha256"
        case modelSHA256 = "model_sha256"
    }

    /// Hashes the library and bundle in `files`; a missing file is a setup error (exit code 2).
    public static func identify(_ files: MediaPipeFiles) throws -> PoseBackend {
        try files.check()
        return PoseBackend(librarySHA256: try FileDigest.sha256(ofFile: files.library.path).hex,
                           modelSHA256: try FileDigest.sha256(ofFile: files.bundle.path).hex)
    }

    /// The `sequences.backend` text, e.g. `mediapipe-0.10.35 pose_landmarker_full video`.
    public func label(_ mode: MediaPipePose.Mode) -> String { "\(name)-\(version) \(model) \(mode.name)" }
}

/// The hash stored with every sequence: settings and backend together, as sorted-key JSON.
public func settingsHash(_ settings: ExtractSettings, _ backend: PoseBackend) -> String {
    struct Key: Encodable { var settings: ExtractSettings, backend: PoseBackend }
    let data = (try? JSONOutput.encoder().encode(Key(settings: settings, backend: backend))) ?? Data()
    return FileDigest.sha256(of: [UInt8](data))
}
