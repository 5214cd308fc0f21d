import BiomechCore
import CatalogStore
import Foundation

/// What a run did, for the table at the end and for benchmarks (`--summary-json`).
public struct ExtractSummary: Codable, Sendable, Equatable {
    /// Videos matching the selection, up to date or not, and those this run set out to extract.
    public var selected: Int
    public var planned: Int
    public var workers = 0
    /// Videos per status.
    public var statuses: [String: Int] = [:]
    /// Frames extracted, over all videos.
    public var frames = 0
    /// Wall time of the run, the workers' time on videos, and the part of it in the pose model.
    public var seconds = 0.0
    public var videoSeconds = 0.0
    public var poseSeconds = 0.0
    /// CPU time of the workers' decoding threads.
    public var decodeCPUSeconds = 0.0
    /// Videos left for the next run because the run was stopped.
    public var abandoned = 0
    public var interrupted = false
    /// Why MediaPipe's telemetry could not be cut off, when it could not.
    public var networkNotIsolated: String?

    public init(selected: Int, planned: Int) {
        self.selected = selected
        self.planned = planned
    }

    enum CodingKeys: String, CodingKey {
        case selected, planned, workers, statuses, frames, seconds, abandoned, interrupted
        case videoSeconds = "video_seconds", poseSeconds = "pose_seconds", decodeCPUSeconds = "decode_cpu_seconds", networkNotIsolated = "network_not_isolated"
    }

    mutating func add(_ outcome: ExtractOutcome) {
        statuses[outcome.status.rawValue, default: 0] += 1
        frames += outcome.frames
        videoSeconds += outcome.seconds
        poseSeconds += outcome.poseSeconds
        decodeCPUSeconds += outcome.decodeCPUSeconds
    }

    public var done: Int { statuses.values.reduce(0, +) }
    public var failed: Int { done - (statuses[SequenceStatus.ok.rawValue] ?? 0) - (statuses[SequenceStatus.noPerson.rawValue] ?? 0) }
    public var framesPerSecond: Double { seconds > 0 ? Double(frames) / seconds : 0 }
    /// Share of the workers' time spent outside the pose model: decoding, converting, writing.
    public var outsidePoseShare: Double { videoSeconds > 0 ? 1 - poseSeconds / videoSeconds : 0 }

    /// The summary table: one row per status, then totals.
    public var table: String {
        let rows = SequenceStatus.allCases.compactMap { status -> [String]? in
            guard let count = statuses[status.rawValue] else { return nil }
            return [status.rawValue, Format.count(Int64(count))]
        }
        var text = Format.table(header: ["status", "videos"], rows: rows)
        text += String(format: "\n%@ frames in %@ (%.1f frames/s, %d workers); %.1f%% of worker time outside the pose model",
                       Format.count(Int64(frames)), Format.duration(seconds), framesPerSecond, workers, outsidePoseShare * 100)
        if selected > planned { text += "\n\(selected - planned) selected videos were already up to date" }
        if interrupted { text += "\ninterrupted: \(abandoned) videos in progress were left for the next run" }
        return text
    }
}
