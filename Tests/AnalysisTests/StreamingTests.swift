@testable import Analysis
import BiomechCore
import Foundation
import Pose
import TestSupport
import XCTest

/// `--stream --source -`: an MPEG-TS stream piped from ffmpeg gives one JSON line per window.
final class StreamingTests: XCTestCase {
    func testAPipedMPEGTSStreamGivesOneLinePerWindow() throws {
        try MediaPipeFixture.requireDemoVideo()
        let folder = try TemporaryFolder()
        let model = try ModelFixture.checkpoint(in: folder)
        let json = folder("report.json")
        // A real pipe between two processes: ffmpeg re-encodes the demo video to MPEG-TS on its stdout.
        let script = """
        set -o pipefail
        ffmpeg -v error -nostdin -i '\(MediaPipeFixture.demoVideo.path)' -c:v mpeg2video -q:v 4 -an -f mpegts - \
          | '\(Tools.product("biomech-analyze"))' --model '\(model.path)' --source - --stream --exercise jumping_jack --json '\(json.path)'
        """
        let result = try Tools.run("/bin/bash", ["-c", script])
        XCTAssertEqual(result.status, 0, result.all)
        let lines = result.stdout.split(separator: "\n")
        let decoded = try lines.map { try JSONDecoder().decode(StreamLine.self, from: Data($0.utf8)) }
        // 230 frames, windows of 60 every 15 frames: (230 - 60) / 15 + 1.
        XCTAssertEqual(decoded.count, 12, result.stdout)
        XCTAssertEqual(decoded.map(\.window), Array(0..<12))
        for (i, line) in decoded.enumerated() {
            XCTAssertEqual(line.start, Double(i * 15) / 30, accuracy: 0.05, "window \(i)")
            XCTAssertGreaterThanOrEqual(line.latencyMs, 0)
            if line.status == "ok" {
                XCTAssertNotNil(line.form)
                XCTAssertNotNil(line.exercise)
            } else {
                XCTAssertNotNil(line.reason)
            }
        }
        XCTAssertTrue(decoded.contains { $0.status == "ok" })
        // Frames skipped to keep up (if this machine is slower than the stream) are a running count.
        XCTAssertEqual(decoded.map(\.droppedFrames), decoded.map(\.droppedFrames).sorted())
        XCTAssertTrue(result.stderr.contains("latency median"), result.stderr)
        // The whole stream's report is written at the end, without an input hash (a stream is not a file).
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: json))
        XCTAssertEqual(report.provenance.inputKind, "stdin")
        XCTAssertNil(report.provenance.inputSHA256)
        XCTAssertNil(try ReportSchema.problem(json, in: folder))
    }
}

/// `--source -` without `--stream`: the finite stream is spooled, then analysed as a file.
final class StandardInputTests: XCTestCase {
    func testAStreamOnStandardInputGetsTheWholeReportAndAnAnnotatedVideo() throws {
        try MediaPipeFixture.requireDemoVideo()
        let folder = try TemporaryFolder()
        let model = try ModelFixture.checkpoint(in: folder)
        let ts = folder("demo.ts"), json = folder("report.json"), video = folder("annotated.mp4")
        try VideoFixtures.ffmpeg(["-i", MediaPipeFixture.demoVideo.path, "-vf", "scale=640:-2", "-c:v", "mpeg2video", "-q:v", "4", "-an",
                                  "-f", "mpegts"], to: ts)
        func spools() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("biomech-analyze-stdin-") })
        }
        let before = try spools()
        let result = try Tools.run("/bin/bash", ["-c", "'\(Tools.product("biomech-analyze"))' --model '\(model.path)' --source - --exercise jumping_jack --json '\(json.path)' --output '\(video.path)' < '\(ts.path)'"])
        XCTAssertEqual(result.status, 0, result.all)
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: json))
        XCTAssertEqual(report.provenance.inputKind, "stdin")
        XCTAssertEqual(report.provenance.inputSHA256, try FileDigest.sha256(ofFile: ts.path).hex, "the hash of the bytes that came in")
        XCTAssertEqual(report.provenance.framesAnalysed, 230)
        let probe = try Tools.run("ffprobe", ["-v", "error", "-count_frames", "-show_entries", "stream=nb_read_frames,width", "-of", "csv=p=0", video.path])
        XCTAssertEqual(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "640,230")
        XCTAssertEqual(try spools().subtracting(before), [], "the spooled copy of standard input is deleted")
    }
}

/// Keeping up: frames that arrive behind the stream's clock get no pose, and are counted.
final class StreamKeepingUpTests: XCTestCase {
    func testFramesBehindTheStreamsClockAreDroppedAndCounted() throws {
        try MediaPipeFixture.requireDemoVideo()
        let folder = try TemporaryFolder()
        let model = try AnalysisModel(path: try ModelFixture.checkpoint(in: folder).path, threads: 1)
        var options = AnalyzeOptions(model: model.path, source: MediaPipeFixture.demoVideo.path)
        options.stream = true
        options.exercise = "jumping_jack"
        let live = LiveAnalyzer(options: options, model: model, forced: try Analyzer.resolveExercise("jumping_jack"),
                                files: MediaPipeFiles(folder: MediaPipeFixture.folder))
        // A wall clock on which each pose takes 50 ms, against frames 33 ms apart: analysis falls
        // behind the stream until a frame is more than 0.1 s late, then skips frames to catch up.
        live.clock = { [unowned live] in Double(live.posed) * 0.05 }
        var lines: [StreamLine] = []
        live.emit = { lines.append($0) }
        _ = try live.run(.video(MediaPipeFixture.demoVideo.path))
        XCTAssertEqual(lines.count, 12, "one line per window, dropped frames or not")
        // Poses at 20/s from frames at 30/s: about a third of the frames are skipped.
        let dropped = live.dropped
        XCTAssertEqual(Double(dropped), 230.0 / 3, accuracy: 20, "\(dropped) dropped")
        XCTAssertEqual(live.posed + dropped, 230)
        XCTAssertLessThanOrEqual(try XCTUnwrap(lines.last?.droppedFrames), dropped)
        XCTAssertGreaterThanOrEqual(lines.filter { $0.status == "ok" }.count, 10, "windows with a third of their frames filled in still count")
        XCTAssertEqual(lines.map(\.droppedFrames), lines.map(\.droppedFrames).sorted(), "a running count")
    }
}
