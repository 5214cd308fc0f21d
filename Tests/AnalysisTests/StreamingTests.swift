import Analysis
import Foundation
import TestSupport
import XCTest

/// `--stream --source -`: an MPEG-TS stream piped from ffmpeg gives one JSON line per window.
final class StreamingTests: XCTestCase {
    func testAPipedMPEGTSStreamGivesOneLinePerWindow() throws {
        try MediaPipeFixture.requireDemoVideo()
        let folder = try TemporaryFolder()
        let model = try AnalysisFixture.checkpoint(in: folder)
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
        // A pipe faster than real time is never behind the stream's clock: nothing is dropped.
        XCTAssertEqual(decoded.last?.droppedFrames, 0)
        XCTAssertTrue(result.stderr.contains("latency median"), result.stderr)
        // The whole stream's report is written at the end, without an input hash (a stream is not a file).
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: json))
        XCTAssertEqual(report.provenance.inputKind, "stdin")
        XCTAssertNil(report.provenance.inputSHA256)
        XCTAssertNil(try AnalysisFixture.schemaProblem(json, in: folder))
    }
}
