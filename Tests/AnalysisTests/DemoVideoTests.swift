import Analysis
import BiomechCore
import Foundation
import TestSupport
import XCTest

/// `biomech-analyze` end to end on the real Sports2D video: a man doing two jumping jacks on a box,
/// then stepping off while a woman walks past (VP9, 1768x994, 30 fps, 230 frames, AAC audio).
final class DemoVideoTests: XCTestCase {
    static let folder = try! TemporaryFolder("biomech-analyze-demo")
    static let model = try! ModelFixture.checkpoint(in: folder)

    /// One run of the command with every output, shared by the tests below.
    static let run: (result: Tools.Result, json: URL, video: URL, summary: URL) = {
        let json = folder("report.json"), video = folder("annotated.mp4"), summary = folder("summary.png")
        let result = try! Tools.run(Tools.product("biomech-analyze"), [
            "--model", model.path, "--source", MediaPipeFixture.demoVideo.path, "--exercise", "jumping_jacks",
            "--json", json.path, "--output", video.path, "--summary", summary.path])
        return (result, json, video, summary)
    }()

    override func setUpWithError() throws {
        try MediaPipeFixture.requireDemoVideo()
        XCTAssertEqual(Self.run.result.status, 0, Self.run.result.all)
    }

    func report() throws -> Report { try JSONDecoder().decode(Report.self, from: Data(contentsOf: Self.run.json)) }

    func testTheReportValidatesAgainstTheSchema() throws {
        XCTAssertNil(try ReportSchema.problem(Self.run.json, in: Self.folder))
        let report = try report()
        XCTAssertEqual(report.exerciseType.name, "jumping_jack")
        XCTAssertEqual(report.exerciseType.source, "forced")
        XCTAssertEqual(report.provenance.framesAnalysed, 230)
        XCTAssertEqual(report.provenance.inputSHA256, try FileDigest.sha256(ofFile: MediaPipeFixture.demoVideo.path).hex)
        XCTAssertEqual(report.provenance.checkpointSHA256, try FileDigest.sha256(ofFile: Self.model.path).hex)
        XCTAssertGreaterThan(report.provenance.detectionRate, 0.9)
    }

    func testItCountsTheTwoJumpingJacksWithinOne() throws {
        // Counted by eye on the frames: arms up at 0.5-1.0 s and 1.75-2.25 s, then he steps off the box.
        let reps = try report().reps
        XCTAssertEqual(reps.mainJoint, "shoulder")
        XCTAssertLessThanOrEqual(abs(reps.count - 2), 1, "\(reps.items.map { [$0.start, $0.end] })")
        XCTAssertTrue(reps.items.allSatisfy { $0.depth > 120 }, "arms overhead at the top of every rep: \(reps.items.map(\.depth))")
    }

    func testTheAnnotatedVideoHasTheInputsFramesSizeAndAudio() throws {
        let probe = try Tools.run("ffprobe", ["-v", "error", "-count_frames", "-show_entries", "stream=codec_type,codec_name,width,height,nb_read_frames",
                                              "-of", "compact=p=0", Self.run.video.path])
        XCTAssertEqual(probe.status, 0, probe.all)
        let video = try XCTUnwrap(probe.stdout.split(separator: "\n").first { $0.contains("codec_type=video") })
        XCTAssertTrue(video.contains("codec_name=h264"), String(video))
        XCTAssertTrue(video.contains("width=1768") && video.contains("height=994"), String(video))
        XCTAssertTrue(video.contains("nb_read_frames=230"), String(video))
        XCTAssertTrue(probe.stdout.contains("codec_type=audio"), probe.stdout)
    }

    func testSkeletonPixelsLieWhereTheLandmarksSay() throws {
        // Frame 30 (1.0 s): the joint colours (risk bands) are drawn at the landmarks' pixels; the
        // same spot in the input has the scene's colours.
        let report = try report()
        _ = report
        let sequence = try AnalysisFixture.demoLandmarks(in: Self.folder)
        let frame = 30
        let annotated = try AnalysisFixture.frame(frame, of: Self.run.video, in: Self.folder)
        let original = try AnalysisFixture.frame(frame, of: MediaPipeFixture.demoVideo, in: Self.folder)
        var differing = 0, checked = 0
        for landmark in [11, 12, 23, 24, 25, 26] {   // shoulders, hips, knees
            let x = Int((Double(sequence[frame][landmark].0) * 1768).rounded()), y = Int((Double(sequence[frame][landmark].1) * 994).rounded())
            guard x >= 0, x < 1768, y >= 0, y < 994 else { continue }
            checked += 1
            let a = annotated.pixel(x, y), o = original.pixel(x, y)
            if abs(a.0 - o.0) + abs(a.1 - o.1) + abs(a.2 - o.2) > 60 { differing += 1 }
            // A joint is drawn in a band colour: saturated, not the grey-brown of the scene.
            XCTAssertGreaterThan(max(a.0, a.1, a.2) - min(a.0, a.1, a.2), 60, "landmark \(landmark) at (\(x), \(y)): \(a)")
        }
        XCTAssertEqual(checked, 6)
        XCTAssertEqual(differing, checked)
        // Far from the person (the bottom-left corner of the grass), the frame is the input's.
        let a = annotated.pixel(200, 900), o = original.pixel(200, 900)
        XCTAssertLessThan(abs(a.0 - o.0) + abs(a.1 - o.1) + abs(a.2 - o.2), 40)
    }

    func testTheSummaryPictureIsWritten() throws {
        let data = try Data(contentsOf: Self.run.summary)
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertGreaterThan(data.count, 50_000)
    }
}
