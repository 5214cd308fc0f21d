import Foundation
import Pose
import Video

/// The landmarks of one video, kept in memory: what `biomech-extract` writes for it.
public struct VideoLandmarks: Sendable {
    public var sequence: ExtractedSequence
    /// Output size, rotation and rates of the decoded frames.
    public var info: DecodedVideoInfo
    /// Corrupt packets or frames the decoder skipped.
    public var decodeErrors: Int
}

/// Where an extraction's time went.
public struct ExtractionCost: Sendable, Equatable {
    /// CPU seconds of the decoding thread (decoding, scaling, converting).
    public var decodeCPUSeconds = 0.0
    /// Wall seconds spent creating the landmarker and detecting poses.
    public var poseSeconds = 0.0
    public init() {}
}

/// Why a video gave no landmark sequence.
public enum LandmarkFailure: Error, Sendable, Equatable {
    /// The video could not be decoded (to the end): libav's reason, frames done before.
    case decode(String, frames: Int)
    /// Every frame was decoded and nobody was found on any.
    case noPerson(frames: Int, fps: Double)

    public var reason: String {
        switch self {
        case .decode(let reason, _): return reason
        case .noPerson(let frames, _): return "no person found on any of \(frames) frames"
        }
    }
}

/// Decodes a video and finds the pose on every kept frame: extraction's loop, for any caller.
///
/// Decoding runs a few frames ahead on its own thread while the pose model works.
public struct LandmarkExtractor {
    public let files: MediaPipeFiles
    public let settings: ExtractSettings
    /// Called every 16 frames with the frames done so far.
    public var progress: (Int) -> Void = { _ in }
    /// Called with each frame and its pose as they are found (e.g. to keep key frames).
    public var onFrame: ((DecodedFrame, BodyPose?) -> Void)?
    /// Fault injection for the tests: SIGKILL this process after this many frames.
    var killAfterFrames: Int?

    public init(files: MediaPipeFiles, settings: ExtractSettings) {
        self.files = files
        self.settings = settings
    }

    /// Opens `path` with the settings' decoding rules and `threads` libavcodec threads, then extracts.
    public func extract(path: String, threads: Int = 1, cost: inout ExtractionCost) throws -> Result<VideoLandmarks, LandmarkFailure> {
        let decoder: VideoDecoder
        do { decoder = try VideoDecoder(path: path, settings: settings.decode(threads: threads)) } catch {
            return .failure(.decode(error.reason, frames: 0))
        }
        return try extract(decoder, cost: &cost)
    }

    /// Reads `decoder` to its end; a video that cannot be decoded or shows nobody is a failure, not a
    /// throw. Throws only when MediaPipe itself cannot run.
    public func extract(_ decoder: VideoDecoder, cost: inout ExtractionCost) throws -> Result<VideoLandmarks, LandmarkFailure> {
        let frames = FramePrefetcher(decoder)
        defer {
            frames.close()
            cost.decodeCPUSeconds = frames.cpuSeconds
        }
        func timed<T>(_ body: () throws -> T) rethrows -> T {
            let before = ProcessInfo.processInfo.systemUptime
            defer { cost.poseSeconds += ProcessInfo.processInfo.systemUptime - before }
            return try body()
        }
        // Decoding has started on its own thread; creating the landmarker counts as pose time.
        let tracker = try timed { try PoseTracker(files: files, settings: settings) }
        var sequence = ExtractedSequence()
        sequence.reserve(frames: 1024)
        decoding: while true {
            let frame: DecodedFrame
            switch frames.next() {
            case .frame(let decoded): frame = decoded
            case .end: break decoding
            case .failure(let error): return .failure(.decode(error.reason, frames: sequence.frames))
            }
            let pose = try timed { try tracker.detect(frame) }
            sequence.append(time: frame.time, pose: pose)
            onFrame?(frame, pose)
            if sequence.frames == killAfterFrames { kill(getpid(), SIGKILL) }
            if sequence.frames % 16 == 0 { progress(sequence.frames) }
        }
        frames.close()
        if let failure = decoder.readFailure {
            return .failure(.decode("reading stopped after \(sequence.frames) frames: \(failure); the file looks cut or damaged",
                                    frames: sequence.frames))
        }
        guard sequence.detectedFrames > 0 else { return .failure(.noPerson(frames: sequence.frames, fps: decoder.info.fps)) }
        return .success(VideoLandmarks(sequence: sequence, info: decoder.info, decodeErrors: decoder.decodeErrors))
    }
}
