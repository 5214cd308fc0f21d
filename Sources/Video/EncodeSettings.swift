/// Which video codec a `VideoEncoder` writes.
public enum VideoCodecChoice: String, Sendable, CaseIterable {
    /// H.264 (libx264) when this FFmpeg has it and the container holds it, else MPEG-4 part 2.
    case automatic
    /// H.264 through libx264; an error when this FFmpeg has no libx264.
    case h264
    /// MPEG-4 part 2 through libavcodec's own `mpeg4` encoder (always built in).
    case mpeg4
}

/// How `VideoEncoder` encodes. Rules: docs/VIDEO.md, "Encoding".
public struct EncodeSettings: Sendable, Equatable {
    public var codec: VideoCodecChoice
    /// libx264's preset: `veryfast` by default, because the encoder runs inside a benchmarked analysis.
    public var preset: String
    /// libx264's constant rate factor, 0 (lossless) to 51: 23 by default, x264's own default quality.
    public var crf: Double
    /// MPEG-4's fixed quantiser, 1 (best) to 31, as ffmpeg's `-q:v`: 3 by default.
    public var mpeg4Quantiser: Int
    /// Encoder threads; 0 (the default) lets the encoder pick (x264: about 1.5 per core).
    public var threads: Int

    public init(codec: VideoCodecChoice = .automatic, preset: String = "veryfast", crf: Double = 23,
                mpeg4Quantiser: Int = 3, threads: Int = 0) {
        self.codec = codec
        self.preset = preset
        self.crf = crf
        self.mpeg4Quantiser = mpeg4Quantiser
        self.threads = threads
    }
}
