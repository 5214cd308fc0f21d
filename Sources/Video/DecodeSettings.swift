/// How `VideoDecoder` samples, sizes and decodes frames. Rules: docs/VIDEO.md, "Decoding".
public struct DecodeSettings: Sendable, Equatable {
    /// Target frames per second; nil means the video's own rate capped at `defaultMaxFPS`.
    /// A frame is kept when its true time reaches the next slot k/fps; kept frames keep their true time.
    public var fps: Double?
    /// The output's long side is at most this many pixels (aspect ratio kept, never upscaled).
    public var maxSide: Int
    /// libavcodec frame threads; 1 (the default) so parallel workers do not oversubscribe the cores,
    /// 0 lets libavcodec pick one per core.
    public var threads: Int
    /// Keep every decoded frame at its own time, with no resampling (`fps` must then be nil): for
    /// re-encoding a video frame for frame. Frames before the stream's start (negative times) are still dropped.
    public var keepAllFrames: Bool

    /// The cap on the default target rate.
    public static let defaultMaxFPS = 30.0

    public init(fps: Double? = nil, maxSide: Int = 640, threads: Int = 1, keepAllFrames: Bool = false) {
        self.fps = fps
        self.maxSide = maxSide
        self.threads = threads
        self.keepAllFrames = keepAllFrames
    }

    /// Every frame at the source's timing, full size unless `maxSide` is given: what an annotated copy decodes.
    public static func allFrames(maxSide: Int = .max, threads: Int = 1) -> DecodeSettings {
        DecodeSettings(fps: nil, maxSide: maxSide, threads: threads, keepAllFrames: true)
    }
}

/// What a `VideoDecoder` will produce, known once the file is open.
public struct DecodedVideoInfo: Sendable, Equatable {
    /// The video codec's name, e.g. "h264", as `VideoInfo.codec`.
    public var codec: String
    /// libavcodec's decoder, e.g. "h264", "libdav1d".
    public var decoder: String
    /// Coded size of the stream, before rotation and scaling.
    public var sourceWidth: Int, sourceHeight: Int
    /// Degrees clockwise the picture is turned to come out upright: 0, 90, 180 or 270 (as `VideoInfo.rotation`).
    public var rotation: Int
    /// Output size: after scaling (long side at most `maxSide`) and rotation (swapped for 90 and 270).
    public var width: Int, height: Int
    /// The stream's `avg_frame_rate`, else `r_frame_rate`; nil when neither is known.
    public var sourceFPS: Double?
    /// The rate frames are resampled to (the settings' `fps`, or the default rule); with `keepAllFrames`,
    /// the source's rate (`sourceFPS`, 30 when unknown), as a nominal rate for an encoder.
    public var fps: Double
    /// The video stream's time base: frame times are whole multiples of it (from the stream's start).
    public var timeBase: TimeBase
}

/// One decoded frame, upright, as packed RGB24.
public struct DecodedFrame: Sendable, Equatable {
    /// Index of the frame among all frames the decoder output (0-based, presentation order), before resampling.
    public var index: Int
    /// Presentation time in seconds from the stream's start (best-effort timestamp); the true time, not the slot's.
    public var time: Double
    public var width: Int, height: Int
    /// `height` rows of `width * 3` bytes, R G B, top row first.
    public var rgb: [UInt8]

    public init(index: Int, time: Double, width: Int, height: Int, rgb: [UInt8]) {
        self.index = index
        self.time = time
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}
