import Foundation
import TestSupport

/// The uploads the tests send: cuts of the real Sports2D video, a video with nobody in it, and bad files.
enum TestClips {
    static let folder = try! TemporaryFolder("biomech-serve-clips")

    /// The whole demo video (230 frames, a man doing two jumping jacks).
    static var demo: URL { MediaPipeFixture.demoVideo }

    /// Its first 2.5 s as H.264 (75 frames: one window and a bit), for quicker analyses.
    static let short: URL = cut(seconds: 2.5, name: "short.mp4")
    /// Its first second (30 frames): shorter than one window.
    static let tooShort: URL = cut(seconds: 1, name: "one-second.mp4")

    /// Three seconds of ffmpeg's test pattern: a video, but no person.
    static let nobody: URL = {
        let url = folder("nobody.mp4")
        try! VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=30", "-c:v", "libx264", "-pix_fmt", "yuv420p"], to: url)
        return url
    }()

    /// A text file named like a video.
    static let text: URL = try! folder.write("notes.mp4", Data("these are my training notes, not a video\n".utf8))

    /// The demo video's first 300 kB: it opens, then ends after its first frames.
    static let truncated: URL = {
        let bytes = try! Data(contentsOf: MediaPipeFixture.demoVideo)
        return try! folder.write("cut.mp4", bytes.prefix(300_000))
    }()

    private static func cut(seconds: Double, name: String) -> URL {
        let url = folder(name)
        try! VideoFixtures.ffmpeg(["-i", MediaPipeFixture.demoVideo.path, "-t", "\(seconds)", "-c:v", "libx264", "-preset", "veryfast",
                                   "-pix_fmt", "yuv420p", "-an"], to: url)
        return url
    }
}
