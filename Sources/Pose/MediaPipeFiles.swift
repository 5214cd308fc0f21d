import Foundation

/// Where `make setup` put libmediapipe.so and the pose bundle.
public struct MediaPipeFiles: Sendable, Equatable {
    public var library: URL
    public var bundle: URL

    public init(library: URL, bundle: URL) {
        self.library = library
        self.bundle = bundle
    }

    /// The files in `folder` as laid out by scripts/setup-mediapipe.sh.
    public init(folder: URL) {
        self.init(library: folder.appendingPathComponent("lib/libmediapipe.so"),
                  bundle: folder.appendingPathComponent("pose_landmarker_full.task"))
    }

    /// `$BIOMECH_MEDIAPIPE_DIR`, else `.mediapipe` in the current directory.
    public static func located(environment: [String: String] = ProcessInfo.processInfo.environment) -> MediaPipeFiles {
        let folder = environment["BIOMECH_MEDIAPIPE_DIR"] ?? FileManager.default.currentDirectoryPath + "/.mediapipe"
        return MediaPipeFiles(folder: URL(fileURLWithPath: folder))
    }
}

extension MediaPipeFiles {
    /// Throws the setup error (exit code 2, naming `make setup`) when the library or bundle is missing.
    public func check() throws {
        for (file, what) in [(library, "libmediapipe.so"), (bundle, "pose bundle")]
        where !FileManager.default.fileExists(atPath: file.path) {
            throw MediaPipeError.setup(file.path, "\(what) not found")
        }
    }
}
