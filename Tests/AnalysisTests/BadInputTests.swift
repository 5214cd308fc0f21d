import Analysis
import BiomechCore
import Foundation
import Model
import TestSupport
import XCTest

/// Each bad input gives a clear message, a non-zero exit code and no output file.
final class BadInputTests: XCTestCase {
    static let folder = try! TemporaryFolder("biomech-analyze-bad")
    static let model = try! ModelFixture.checkpoint(in: folder)

    /// Runs the command with `source` and every output asked for in a fresh folder; returns the
    /// result and the folder's files afterwards.
    func analyze(_ source: String, model: String = BadInputTests.model.path, extra: [String] = []) throws -> (Tools.Result, [String]) {
        let out = try TemporaryFolder()
        let result = try Tools.run(Tools.product("biomech-analyze"), ["--model", model, "--source", source, "--json", out("r.json").path,
                                                                      "--summary", out("s.png").path] + extra)
        return (result, try FileManager.default.contentsOfDirectory(atPath: out.path))
    }

    func testAMissingFileIsBadUsage() throws {
        let (result, files) = try analyze("/nonexistent/set.mp4")
        XCTAssertEqual(result.status, 2, result.all)
        XCTAssertTrue(result.stderr.contains("/nonexistent/set.mp4: no such file"), result.stderr)
        XCTAssertEqual(files, [])
    }

    func testAnUnreadableFileIsBadUsage() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("locked.mp4", "x")
        chmod(file.path, 0)
        defer { chmod(file.path, 0o644) }
        guard !FileManager.default.isReadableFile(atPath: file.path) else { throw XCTSkip("running as a user who reads any file") }
        let (result, files) = try analyze(file.path)
        XCTAssertEqual(result.status, 2, result.all)
        XCTAssertTrue(result.stderr.contains("not a readable file"), result.stderr)
        XCTAssertEqual(files, [])
    }

    func testAFileThatIsNotAVideoFails() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("notes.mp4", "these are not frames\n")
        let (result, files) = try analyze(file.path)
        XCTAssertEqual(result.status, 1, result.all)
        XCTAssertTrue(result.stderr.contains("notes.mp4: cannot be decoded"), result.stderr)
        XCTAssertEqual(files, [])
    }

    func testAVideoWithNobodyInItFails() throws {
        let folder = try TemporaryFolder()
        let video = folder("bars.mp4")
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=3"], to: video)
        let (result, files) = try analyze(video.path)
        XCTAssertEqual(result.status, 1, result.all)
        XCTAssertTrue(result.stderr.contains("no person found on any of 90 frames"), result.stderr)
        XCTAssertEqual(files, [])
    }

    func testAVideoShorterThanOneWindowFails() throws {
        // The first 40 frames of the real demo video: a person, but fewer frames than a window's 60.
        try MediaPipeFixture.requireDemoVideo()
        let folder = try TemporaryFolder()
        let video = folder("short.mp4")
        try VideoFixtures.ffmpeg(["-i", MediaPipeFixture.demoVideo.path, "-frames:v", "40", "-an", "-vf", "scale=640:-2"], to: video)
        let (result, files) = try analyze(video.path)
        XCTAssertEqual(result.status, 1, result.all)
        XCTAssertTrue(result.stderr.contains("40 frames") && result.stderr.contains("shorter than one window of 60 frames"), result.stderr)
        XCTAssertEqual(files, [])
    }

    func testAnUnknownExerciseIsBadUsage() throws {
        let (result, files) = try analyze(MediaPipeFixture.demoVideo.path, extra: ["--exercise", "underwater_basket_weaving"])
        XCTAssertEqual(result.status, 2, result.all)
        XCTAssertTrue(result.stderr.contains("--exercise 'underwater_basket_weaving': not an exercise biomech knows"), result.stderr)
        XCTAssertTrue(result.stderr.contains("jumping_jack"), "the message lists the known names: \(result.stderr)")
        XCTAssertEqual(files, [])
    }

    func testACheckpointOfAnotherFormatVersionIsRefused() throws {
        var bytes = [UInt8](try Data(contentsOf: Self.model))
        bytes[8] = 1   // format version 1: heads on the mean only
        let folder = try TemporaryFolder()
        let old = try folder.write("old.ckpt", Data(bytes))
        let (result, files) = try analyze(MediaPipeFixture.demoVideo.path, model: old.path)
        XCTAssertEqual(result.status, 2, result.all)
        XCTAssertTrue(result.stderr.contains("format version 1"), result.stderr)
        XCTAssertEqual(files, [])
    }

    func testACheckpointWithOtherClassNamesIsRefused() throws {
        var checkpoint = try Checkpoint.read(from: Self.model)
        checkpoint.header.classNames = ["squat", "deadlift", "bench_press", "overhead_press", "burpee"]
        let folder = try TemporaryFolder()
        let other = folder("other.ckpt")
        try checkpoint.write(to: other)
        let (result, files) = try analyze(MediaPipeFixture.demoVideo.path, model: other.path)
        XCTAssertEqual(result.status, 2, result.all)
        XCTAssertTrue(result.stderr.contains("burpee"), result.stderr)
        XCTAssertEqual(files, [])
    }

    func testOutputFromASequenceIsBadUsage() throws {
        let folder = try TemporaryFolder()
        let (npy, _) = try AnalysisFixture.synthetic(in: folder) { $0.exercise == .squat }
        let (result, files) = try analyze(npy.path, extra: ["--output", folder("a.mp4").path])
        XCTAssertEqual(result.status, 2, result.all)
        XCTAssertTrue(result.stderr.contains("--output needs a video source"), result.stderr)
        XCTAssertEqual(files, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder("a.mp4").path))
    }
}
