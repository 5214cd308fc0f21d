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

/// JSON lines over a pair of file descriptors: one message per line, both ways.
final class MessageChannel {
    private let input: Int32, output: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    /// Writes one message; false when the other side has gone (EPIPE).
    @discardableResult
    func send<Message: Encodable>(_ message: Message) -> Bool {
        guard var data = try? JSONEncoder().encode(message) else { return false }
        data.append(UInt8(ascii: "\n"))
        return data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(output, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// The next message, or nil at end of input. A line that does not decode throws.
    func receive<Message: Decodable>(_ type: Message.Type) throws -> Message? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[start..<newline])
                start = newline + 1
                if start > 1 << 16 { buffer.removeFirst(start); start = 0 }
                return try JSONDecoder().decode(Message.self, from: line)
            }
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}
