import Pose
import Video

/// The pose of each decoded frame of one video, in MediaPipe's running mode, with the timestamps it needs.
///
/// Extraction and analysis both use it, so a video gives the same landmarks in either. One tracker
/// follows one video; not thread-safe.
public final class PoseTracker {
    private let estimator: MediaPipePose
    private var lastTimestamp: Int64 = -1

    /// Loads MediaPipe with `settings`' mode and confidence; throws a `MediaPipeError` when it cannot.
    public init(files: MediaPipeFiles, settings: ExtractSettings) throws {
        estimator = try MediaPipePose(files: files, mode: settings.mode, minimumConfidence: settings.minimumConfidence)
    }

    /// The pose on `frame`, or nil when nobody is found.
    public func detect(_ frame: DecodedFrame) throws -> BodyPose? {
        // Video mode needs strictly increasing milliseconds; two frames within one ms share none.
        let timestamp = max(Int64((frame.time * 1000).rounded()), lastTimestamp + 1)
        lastTimestamp = timestamp
        return try estimator.detect(RGBFrame(width: frame.width, height: frame.height, pixels: frame.rgb), timestampMilliseconds: timestamp)
    }
}
