import BiomechCore
import CMediaPipe
import Foundation

/// BlazePose through MediaPipe's Tasks C API (libmediapipe.so 0.10.35, loaded with dlopen).
///
/// One instance follows one video: not thread-safe, like the landmarker it owns.
public final class MediaPipePose: PoseEstimator {
    /// MediaPipe's running modes: every frame on its own, or frames of one video (tracking between them).
    public enum Mode: Int32, Sendable {
        case image = 1
        case video = 2
    }

    public let mode: Mode
    private let api: UnsafePointer<MpPoseApi>
    private let landmarker: UnsafeMutableRawPointer
    private var lastTimestamp: Int64?

    /// Loads the library and the bundle in `files`; throws a `MediaPipeError` naming `make setup`
    /// (exit code 2) when either is missing.
    public init(files: MediaPipeFiles = .located(), mode: Mode, minimumConfidence: Float = 0.5) throws {
        try files.check()
        let api = try Self.loadLibrary(files.library)
        self.api = api
        self.mode = mode
        var handle: UnsafeMutableRawPointer?
        var error: UnsafeMutablePointer<CChar>?
        let status = files.bundle.path.withCString { bundlePath in
            "biomech".withCString { hostVersion in
                var options = MpPoseLandmarkerOptions()
                options.base_options.model_asset_path = bundlePath
                options.base_options.host_system = 1  // Linux
                options.base_options.host_version = hostVersion
                options.running_mode = mode.rawValue
                options.num_poses = 1
                options.min_pose_detection_confidence = minimumConfidence
                options.min_pose_presence_confidence = minimumConfidence
                options.min_tracking_confidence = minimumConfidence
                return api.pointee.pose_create(&options, &handle, &error)
            }
        }
        try Self.check(status, error, api: api, call: "MpPoseLandmarkerCreate(\(files.bundle.path))")
        guard let handle else {
            throw MediaPipeError(subject: "MpPoseLandmarkerCreate", reason: "returned no landmarker", exitCode: ExitStatus.failure)
        }
        landmarker = handle
    }

    deinit {
        var error: UnsafeMutablePointer<CChar>?
        _ = api.pointee.pose_close(landmarker, &error)
        if let error { api.pointee.error_free(error) }
    }

    /// The pose on `frame`; in video mode timestamps must increase from call to call.
    public func detect(_ frame: RGBFrame, timestampMilliseconds: Int64) throws -> BodyPose? {
        if mode == .video, let lastTimestamp, timestampMilliseconds <= lastTimestamp {
            throw MediaPipeError(subject: "MediaPipePose.detect",
                                 reason: "timestamp \(timestampMilliseconds) ms after \(lastTimestamp) ms: video mode needs increasing timestamps",
                                 exitCode: ExitStatus.failure)
        }
        lastTimestamp = timestampMilliseconds
        var result = MpPoseLandmarkerResult()
        var error: UnsafeMutablePointer<CChar>?
        var image: UnsafeMutableRawPointer?
        // The pixels stay pinned until the image is freed: MediaPipe may not copy them.
        try frame.pixels.withUnsafeBufferPointer { pixels in
            let created = api.pointee.image_create_from_uint8(Int32(MP_IMAGE_FORMAT_SRGB), Int32(frame.width), Int32(frame.height),
                                                              pixels.baseAddress, Int32(pixels.count), &image, &error)
            try Self.check(created, error, api: api, call: "MpImageCreateFromUint8Data(\(frame.width)x\(frame.height))")
            defer { api.pointee.image_free(image) }
            let status = switch mode {
            case .image: api.pointee.pose_detect_image(landmarker, image, nil, &result, &error)
            case .video: api.pointee.pose_detect_for_video(landmarker, image, nil, timestampMilliseconds, &result, &error)
            }
            try Self.check(status, error, api: api, call: "MpPoseLandmarker detect at \(timestampMilliseconds) ms")
        }
        defer { api.pointee.pose_close_result(&result) }
        return try Self.firstPose(result)
    }

    private static func firstPose(_ result: MpPoseLandmarkerResult) throws -> BodyPose? {
        guard result.pose_landmarks_count > 0, result.pose_world_landmarks_count > 0,
              let imageLists = result.pose_landmarks, let worldLists = result.pose_world_landmarks else { return nil }
        let imageList = imageLists[0], worldList = worldLists[0]
        guard imageList.landmarks_count == BodyPose.landmarkCount, worldList.landmarks_count == BodyPose.landmarkCount,
              let imagePoints = imageList.landmarks, let worldPoints = worldList.landmarks else {
            throw MediaPipeError(subject: "MpPoseLandmarker result",
                                 reason: "\(imageList.landmarks_count) image and \(worldList.landmarks_count) world landmarks, expected 33 each "
                                 + "(is the library 0.10.35, the version of Sources/CMediaPipe/include/mediapipe_pose.h?)",
                                 exitCode: ExitStatus.failure)
        }
        let image = (0..<BodyPose.landmarkCount).map { i in
            let p = imagePoints[i]
            return ImageLandmark(x: p.x, y: p.y, z: p.z, visibility: p.has_visibility ? p.visibility : 0)
        }
        let world = (0..<BodyPose.landmarkCount).map { i in
            WorldLandmark(x: worldPoints[i].x, y: worldPoints[i].y, z: worldPoints[i].z)
        }
        return BodyPose(image: image, world: world)
    }

    private static func loadLibrary(_ url: URL) throws -> UnsafePointer<MpPoseApi> {
        var reason = [CChar](repeating: 0, count: 512)
        guard let api = mp_pose_api_load(url.path, &reason, reason.count) else {
            let words = reason.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw MediaPipeError.setup(url.path, "cannot load it (\(words))")
        }
        return api
    }

    private static func check(_ status: Int32, _ error: UnsafeMutablePointer<CChar>?, api: UnsafePointer<MpPoseApi>,
                              call: String) throws {
        var message = ""
        if let error {
            message = String(cString: error)
            api.pointee.error_free(error)
        }
        guard status != 0 else { return }
        throw MediaPipeError(subject: call, reason: "MediaPipe status \(status)\(message.isEmpty ? "" : ": \(message)")",
                             exitCode: ExitStatus.failure)
    }
}
