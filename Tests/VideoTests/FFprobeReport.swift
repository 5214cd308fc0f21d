import Foundation
import TestSupport

/// What the ffprobe CLI says about a file's main video stream, parsed from its JSON.
struct FFprobeReport {
    var formatName: String
    var formatDuration: Double?
    var codec: String
    var width: Int, height: Int
    var avgFrameRate: String, realFrameRate: String
    var streamDuration: Double?
    var nbFrames: Int?
    var nbReadPackets: Int
    /// Side data "rotation" of the display matrix: counter-clockwise degrees, as `av_display_rotation_get`.
    var displayMatrixRotation: Int?
    var hasAudio: Bool

    init(_ file: URL) throws {
        let result = try Tools.run("ffprobe", ["-v", "error", "-count_packets", "-show_streams", "-show_format", "-of", "json", file.path])
        guard result.status == 0 else { throw FixtureError("ffprobe \(file.path) failed: \(result.all)") }
        guard let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let format = json["format"] as? [String: Any],
              let streams = json["streams"] as? [[String: Any]] else { throw FixtureError("ffprobe gave no format or streams") }
        let isCoverArt = { (s: [String: Any]) in ((s["disposition"] as? [String: Any])?["attached_pic"] as? Int) == 1 }
        guard let video = streams.first(where: { $0["codec_type"] as? String == "video" && !isCoverArt($0) }) else {
            throw FixtureError("ffprobe found no video stream in \(file.path)")
        }
        formatName = format["format_name"] as? String ?? ""
        formatDuration = (format["duration"] as? String).flatMap(Double.init)
        codec = video["codec_name"] as? String ?? ""
        width = video["width"] as? Int ?? 0
        height = video["height"] as? Int ?? 0
        avgFrameRate = video["avg_frame_rate"] as? String ?? "0/0"
        realFrameRate = video["r_frame_rate"] as? String ?? "0/0"
        streamDuration = (video["duration"] as? String).flatMap(Double.init)
        nbFrames = (video["nb_frames"] as? String).flatMap(Int.init)
        nbReadPackets = (video["nb_read_packets"] as? String).flatMap(Int.init) ?? 0
        let sideData = video["side_data_list"] as? [[String: Any]] ?? []
        displayMatrixRotation = sideData.first { $0["side_data_type"] as? String == "Display Matrix" }?["rotation"] as? Int
        hasAudio = streams.contains { $0["codec_type"] as? String == "audio" }
    }

    /// `avg_frame_rate`, or `r_frame_rate` when that is 0/0, as a number.
    var fps: Double? { Self.rate(avgFrameRate) ?? Self.rate(realFrameRate) }

    /// The stream's duration, else the container's.
    var duration: Double? { streamDuration ?? formatDuration }

    /// `nb_frames` when the container states it, else the packets ffprobe counted.
    var frameCount: Int { nbFrames.flatMap { $0 > 0 ? $0 : nil } ?? nbReadPackets }

    static func rate(_ fraction: String) -> Double? {
        let parts = fraction.split(separator: "/").compactMap { Double($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return nil }
        return parts[0] / parts[1]
    }
}
