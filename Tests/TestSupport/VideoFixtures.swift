import Foundation

/// Small real videos (and not-quite videos) made by the ffmpeg CLI, for probing and catalog tests.
///
/// Each file takes ffmpeg well under a second. `ffmpeg` is looked up on PATH (`make setup` installs it).
public enum VideoFixtures {
    /// What to make. Kinds with `opens == false` are ones libavformat must refuse as a video.
    public enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        /// H.264 (libx264, yuv420p) in MP4, index (moov) at the end as ffmpeg writes it by default.
        case h264MP4
        /// H.264 in MPEG-TS: no header, so libavformat must read ahead to find the streams.
        case h264TS
        /// VP9 (libvpx-vp9, realtime) in WebM: Matroska states no frame count, so it is counted.
        case vp9WebM
        /// Motion JPEG in AVI.
        case mjpegAVI
        /// H.264 in MOV whose track matrix says "turn 90° clockwise to display", as a phone filming upright writes it.
        case rotatedMOV
        /// H.264 in MP4 with irregular frame times: the first half at half the rate of the second.
        case variableRateMP4
        /// H.264 plus an AAC sine tone in MP4.
        case withAudioMP4
        /// The first half of the bytes of an MP4 whose index is at the front (`+faststart`): it still opens.
        case truncatedFastStartMP4
        /// The first half of the bytes of a WebM: it opens, and demuxing stops early.
        case truncatedWebM
        /// The first half of the bytes of an MP4 whose index is at the end: it cannot be opened.
        case truncatedMP4
        /// An AVI with a Motion JPEG video stream and no frames in it.
        case zeroFramesAVI
        /// A text file named `.mp4`.
        case textAsMP4
        /// AAC audio only, in M4A.
        case audioOnlyM4A
        /// PCM audio only, in WAV.
        case audioOnlyWAV

        /// The file name extension this kind is written with unless the name gives one.
        public var fileExtension: String {
            switch self {
            case .vp9WebM, .truncatedWebM: "webm"
            case .mjpegAVI, .zeroFramesAVI: "avi"
            case .rotatedMOV: "mov"
            case .h264TS: "ts"
            case .audioOnlyM4A: "m4a"
            case .audioOnlyWAV: "wav"
            default: "mp4"
            }
        }

        /// True when libavformat should probe the file as a video successfully.
        public var opens: Bool {
            switch self {
            case .truncatedMP4, .zeroFramesAVI, .textAsMP4, .audioOnlyM4A, .audioOnlyWAV: false
            default: true
            }
        }

        /// The kinds that probe successfully.
        public static var videos: [Kind] { allCases.filter(\.opens) }
        /// The kinds that must give an error.
        public static var failures: [Kind] { allCases.filter { !$0.opens } }

        public var description: String { rawValue }
    }

    /// Frame size, rate and length of the generated picture (testsrc).
    public struct Shape: Sendable, Equatable {
        public var width: Int, height: Int, fps: Int, seconds: Double
        public init(width: Int = 64, height: Int = 48, fps: Int = 25, seconds: Double = 1) {
            self.width = width
            self.height = height
            self.fps = fps
            self.seconds = seconds
        }
        public static let small = Shape()
    }

    /// Makes one fixture in `folder` and returns its URL.
    ///
    /// `name` is the file name; when it has no extension, the kind's `fileExtension` is added.
    @discardableResult
    public static func make(_ kind: Kind, in folder: URL, name: String, shape: Shape = .small) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = (name as NSString).pathExtension.isEmpty ? "\(name).\(kind.fileExtension)" : name
        let target = folder.appendingPathComponent(file)
        let picture = ["-f", "lavfi", "-i", "testsrc=size=\(shape.width)x\(shape.height):rate=\(shape.fps):duration=\(shape.seconds)"]
        let h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        let tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=\(shape.seconds)"]
        switch kind {
        case .h264MP4:
            try ffmpeg(picture + h264 + ["-f", "mp4"], to: target)
        case .h264TS:
            try ffmpeg(picture + h264 + ["-f", "mpegts"], to: target)
        case .vp9WebM:
            try ffmpeg(picture + ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-f", "webm"], to: target)
        case .mjpegAVI:
            try ffmpeg(picture + ["-c:v", "mjpeg", "-f", "avi"], to: target)
        case .rotatedMOV:
            try ffmpeg(picture + h264 + ["-f", "mov"], to: target)
            try setRotation(of: target, clockwise: 90)
        case .variableRateMP4:
            // Frame n of the first half lands at 2n ticks, the rest one tick apart.
            let half = Int(Double(shape.fps) * shape.seconds) / 2
            let times = "setpts='if(lt(N,\(half)),2*N,\(half)+N)/\(shape.fps)/TB'"
            try ffmpeg(picture + ["-vf", times, "-fps_mode", "vfr"] + h264 + ["-f", "mp4"], to: target)
        case .withAudioMP4:
            try ffmpeg(picture + tone + h264 + ["-c:a", "aac", "-shortest", "-f", "mp4"], to: target)
        case .truncatedFastStartMP4:
            try ffmpeg(picture + h264 + ["-movflags", "+faststart", "-f", "mp4"], to: target)
            try keepFirstHalf(of: target)
        case .truncatedWebM:
            try ffmpeg(picture + ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-f", "webm"], to: target)
            try keepFirstHalf(of: target)
        case .truncatedMP4:
            try ffmpeg(picture + h264 + ["-f", "mp4"], to: target)
            try keepFirstHalf(of: target)
        case .zeroFramesAVI:
            try ffmpeg(picture + ["-frames:v", "0", "-c:v", "mjpeg", "-f", "avi"], to: target)
        case .textAsMP4:
            try Data("this is a text file, not a video\n".utf8).write(to: target)
        case .audioOnlyM4A:
            try ffmpeg(tone + ["-c:a", "aac", "-f", "ipod"], to: target)
        case .audioOnlyWAV:
            try ffmpeg(tone + ["-f", "wav"], to: target)
        }
        return target
    }

    /// Makes one file of every kind in `folder`, named after the kind.
    public static func makeAll(in folder: URL, shape: Shape = .small) throws -> [Kind: URL] {
        var made: [Kind: URL] = [:]
        for kind in Kind.allCases { made[kind] = try make(kind, in: folder, name: kind.rawValue, shape: shape) }
        return made
    }

    /// Rewrites the first track matrix (tkhd) of an MP4/MOV so players turn the picture `clockwise`
    /// degrees (0, 90, 180, 270): the matrices phones and ffmpeg 4 wrote.
    ///
    /// ffmpeg 5.1's `-metadata:s:v:0 rotate=90` is not used: it writes the 270° matrix (its own
    /// autorotate then turns the picture counter-clockwise), and later versions ignore the tag.
    public static func setRotation(of file: URL, clockwise degrees: Int) throws {
        let one = 1 << 16
        let (a, b, c, d): (Int, Int, Int, Int)
        switch degrees {
        case 0: (a, b, c, d) = (one, 0, 0, one)
        case 90: (a, b, c, d) = (0, one, -one, 0)
        case 180: (a, b, c, d) = (-one, 0, 0, -one)
        case 270: (a, b, c, d) = (0, -one, one, 0)
        default: throw FixtureError("rotation must be 0, 90, 180 or 270, not \(degrees)")
        }
        var bytes = try Data(contentsOf: file)
        guard let tkhd = bytes.range(of: Data("tkhd".utf8)) else { throw FixtureError("\(file.path): no tkhd box") }
        // Version 0 and 1 boxes differ in the widths of the times before the matrix.
        let version = bytes[tkhd.upperBound]
        let matrixStart = tkhd.upperBound + (version == 1 ? 52 : 40)
        let matrix = [a, b, 0, c, d, 0, 0, 0, 1 << 30]
        guard matrixStart + 36 <= bytes.count else { throw FixtureError("\(file.path): tkhd box cut short") }
        for (i, value) in matrix.enumerated() {
            withUnsafeBytes(of: Int32(value).bigEndian) { bytes.replaceSubrange(matrixStart + 4 * i ..< matrixStart + 4 * i + 4, with: $0) }
        }
        try bytes.write(to: file)
    }

    /// Runs `ffmpeg` quietly with `arguments` then the output file; throws with its output when it fails.
    public static func ffmpeg(_ arguments: [String], to output: URL) throws {
        try Tools.require("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + arguments + [output.path])
    }

    /// Cuts a file to the first half of its bytes.
    public static func keepFirstHalf(of file: URL) throws {
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count / 2).write(to: file)
    }
}
