/// What libavformat says about one video file.
///
/// Field definitions, and how frame count and rotation are derived: docs/VIDEO.md.
public struct VideoInfo: Codable, Sendable, Equatable {
    /// libavformat's format name, as ffprobe's `format_name`, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi".
    public var container: String
    /// The video codec's name, e.g. "h264", "vp9", "mjpeg".
    public var codec: String
    /// Coded width of the video stream, before rotation.
    public var width: Int
    /// Coded height of the video stream, before rotation.
    public var height: Int
    /// Degrees clockwise the decoded frame must be turned for display: 0, 90, 180 or 270.
    public var rotation: Int
    /// Average frame rate (`avg_frame_rate`), else `r_frame_rate`, else frames over duration.
    public var fps: Double
    /// The video stream's duration, else the container's.
    public var durationSeconds: Double
    /// The stream's `nb_frames` when the container gives it, else the number of video packets demuxed.
    public var frameCount: Int
    /// True when `frameCount` was counted by demuxing.
    public var frameCountCounted: Bool
    /// True when the file has at least one audio stream.
    public var hasAudio: Bool

    public init(container: String, codec: String, width: Int, height: Int, rotation: Int, fps: Double,
                durationSeconds: Double, frameCount: Int, frameCountCounted: Bool, hasAudio: Bool) {
        self.container = container
        self.codec = codec
        self.width = width
        self.height = height
        self.rotation = rotation
        self.fps = fps
        self.durationSeconds = durationSeconds
        self.frameCount = frameCount
        self.frameCountCounted = frameCountCounted
        self.hasAudio = hasAudio
    }
}
