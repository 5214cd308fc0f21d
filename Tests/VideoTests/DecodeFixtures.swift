import Foundation
import Testing
import TestSupport
@testable import Video

/// Videos of known content for the decoder tests, made by the ffmpeg CLI, and ffmpeg's own answers about them.
enum DecodeFixtures {
    /// One codec the tests encode with this system's ffmpeg, in a container that carries it.
    struct Codec: Sendable, CustomStringConvertible {
        /// The codec's name as libavcodec gives it.
        var name: String
        var encoder: [String]
        var fileExtension: String
        /// What the test case is called, when one codec is tested several ways.
        var label: String?
        var description: String { label ?? name }
    }

    /// Every encoder `ffmpeg -encoders` lists on Debian 12's FFmpeg 5.1 that has a decoder to test.
    static let codecs: [Codec] = [
        Codec(name: "h264", encoder: ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"], fileExtension: "mp4"),
        // B-frames: presentation order differs from decode order, and MP4 writes an edit list.
        Codec(name: "h264", encoder: ["-c:v", "libx264", "-preset", "medium", "-bf", "3", "-pix_fmt", "yuv420p"],
              fileExtension: "mp4", label: "h264-bframes"),
        // MPEG-TS: no header, and the stream starts at 1.4 s, not 0.
        Codec(name: "h264", encoder: ["-c:v", "libx264", "-preset", "medium", "-bf", "2", "-pix_fmt", "yuv420p"],
              fileExtension: "ts", label: "h264-mpegts"),
        Codec(name: "hevc", encoder: ["-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                                      "-x265-params", "log-level=none"], fileExtension: "mp4"),
        // 10 bits a sample: swscale converts from yuv420p10le.
        Codec(name: "hevc", encoder: ["-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
                                      "-x265-params", "log-level=none"], fileExtension: "mkv", label: "hevc-10bit"),
        Codec(name: "vp9", encoder: ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"], fileExtension: "webm"),
        Codec(name: "vp8", encoder: ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8"], fileExtension: "webm"),
        Codec(name: "av1", encoder: ["-c:v", "libaom-av1", "-cpu-used", "8", "-row-mt", "1", "-pix_fmt", "yuv420p"], fileExtension: "mp4"),
        Codec(name: "mjpeg", encoder: ["-c:v", "mjpeg"], fileExtension: "avi"),
        Codec(name: "mpeg4", encoder: ["-c:v", "mpeg4", "-q:v", "3"], fileExtension: "avi"),
        // B-frames in AVI (no presentation times in the container: libav guesses them from the decode order).
        Codec(name: "mpeg4", encoder: ["-c:v", "mpeg4", "-q:v", "3", "-bf", "2"], fileExtension: "avi", label: "mpeg4-bframes"),
        Codec(name: "msmpeg4v2", encoder: ["-c:v", "msmpeg4v2", "-q:v", "3"], fileExtension: "avi"),
        Codec(name: "msmpeg4v3", encoder: ["-c:v", "msmpeg4", "-q:v", "3"], fileExtension: "avi"),
    ]

    /// Encodes the lavfi `source` with `codec` into `folder/name.EXT`.
    static func make(_ codec: Codec, source: String, in folder: TemporaryFolder, name: String) throws -> URL {
        let file = folder("\(name).\(codec.fileExtension)")
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", source] + codec.encoder, to: file)
        return file
    }

    /// Encodes the lavfi `source` as H.264 (`pixelFormat`) in MOV or MP4.
    static func h264(_ source: String, in folder: TemporaryFolder, name: String, pixelFormat: String = "yuv420p",
                     extra: [String] = []) throws -> URL {
        let file = folder(name)
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", source] + extra
                                 + ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pixelFormat], to: file)
        return file
    }

    /// ffprobe's best-effort timestamp of every frame of the first video stream, in seconds from the
    /// stream's start, computed from the integer timestamps and the time base (no rounding).
    static func ffprobeTimes(_ file: URL) throws -> [Double] {
        try ffprobeTimesOrNil(file).compactMap { $0 }
    }

    /// As `ffprobeTimes`, with nil for a frame ffprobe gives no timestamp (N/A).
    static func ffprobeTimesOrNil(_ file: URL) throws -> [Double?] {
        let stream = try Tools.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                               "stream=time_base,start_pts", "-of", "csv=p=0", file.path])
        let fields = stream.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
        let base = try #require(fields.first).split(separator: "/").compactMap { Double($0) }
        try #require(base.count == 2)
        let framesResult = try Tools.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                     "frame=best_effort_timestamp", "-of", "csv=p=0", file.path])
        let timestamps = framesResult.stdout.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ", ")) }.filter { !$0.isEmpty }.map { Int64($0) }
        let first = timestamps.compactMap { $0 }.first ?? 0
        let start = fields.count > 1 ? Int64(fields[1]) ?? first : first
        return timestamps.map { $0.map { Double($0 - start) * base[0] / base[1] } }
    }

    /// ffmpeg's own decode of `file` (autorotate on) as packed RGB24 frames of `width` x `height`,
    /// scaled with the area filter as the decoder scales.
    static func ffmpegRGB(_ file: URL, width: Int, height: Int, in folder: TemporaryFolder) throws -> [[UInt8]] {
        let raw = folder("\(file.lastPathComponent).rgb")
        try VideoFixtures.ffmpeg(["-i", file.path, "-vf", "scale=\(width):\(height):flags=area", "-fps_mode", "passthrough",
                                  "-f", "rawvideo", "-pix_fmt", "rgb24"], to: raw)
        let bytes = [UInt8](try Data(contentsOf: raw))
        let size = width * height * 3
        return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0 ..< $0 + size]) }
    }

    /// Mean absolute difference of two equal-length byte arrays.
    static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        var sum = 0
        for i in a.indices { sum += abs(Int(a[i]) - Int(b[i])) }
        return Double(sum) / Double(a.count)
    }

    /// Every kept frame of `file`, and the decoder after its last one.
    static func decodeAll(_ file: URL, _ settings: DecodeSettings = DecodeSettings()) throws -> (VideoDecoder, [DecodedFrame]) {
        let decoder = try VideoDecoder(path: file.path, settings: settings)
        var frames: [DecodedFrame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        return (decoder, frames)
    }
}
