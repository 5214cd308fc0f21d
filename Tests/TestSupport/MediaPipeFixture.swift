import Foundation

/// What `make setup` put into `.mediapipe/` (or `$BIOMECH_MEDIAPIPE_DIR`): the tests' real MediaPipe and footage.
public enum MediaPipeFixture {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    public static let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["BIOMECH_MEDIAPIPE_DIR"]
                                   ?? root.appendingPathComponent(".mediapipe").path)
    /// The Sports2D demo video: VP9, 1768x994, 30 fps, 230 frames of a man doing jumping jacks.
    public static let demoVideo = folder.appendingPathComponent("demo.mp4")
    /// Python with mediapipe 0.10.14, OpenCV and NumPy: the reference implementation.
    public static let referencePython = folder.appendingPathComponent("venv/bin/python")

    /// Throws, naming `make setup`, when the demo video is missing.
    public static func requireDemoVideo() throws {
        guard FileManager.default.fileExists(atPath: demoVideo.path) else {
            throw FixtureError("\(demoVideo.path) is missing: run `make setup` (it unpacks the Sports2D demo video)")
        }
    }
}
