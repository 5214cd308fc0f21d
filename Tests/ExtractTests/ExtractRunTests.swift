import BiomechCore
import CatalogStore
import Foundation
import NumPy
import Testing
import TestSupport

/// `biomech-extract` end to end: the real executable, real worker processes, real MediaPipe.
@Suite(.serialized) struct ExtractRunTests {
    @Test func everyVideoGetsAnOutcomeAndTheSequencesAreInTheSharedFormat() throws {
        let f = try ExtractFixture()
        let run = try f.extract(["--jobs", "2"])
        #expect(run.status == 1, "a video failed to decode, so the run reports a failure: \(run.all)")
        let rows = try f.sequences()
        #expect(rows.mapValues(\.status) == ["cut.mp4": .decodeError, "jumping_jack/demo.mp4": .ok,
                                             "jumping_jack/short.mp4": .ok, "pattern.mp4": .noPerson], "\(run.all)")
        let demo = try #require(rows["jumping_jack/demo.mp4"])
        let demoID = try f.videoID("jumping_jack/demo.mp4")
        #expect(demo.path == "demo/\(demoID).npy")
        #expect(demo.frames == 230 && demo.fps == 30)
        #expect((demo.detectedFraction ?? 0) >= 0.9, "a person on at least 90% of frames")
        #expect((demo.meanVisibility ?? 0) > 0.5)
        #expect(rows["jumping_jack/short.mp4"]?.frames == 45)
        #expect(rows["pattern.mp4"]?.frames == 60 && rows["pattern.mp4"]?.detectedFraction == 0)
        #expect(rows["cut.mp4"]?.message?.isEmpty == false && rows["cut.mp4"]?.path == nil)

        // Files only for the two videos with a person; nothing temporary left.
        let shortID = try f.videoID("jumping_jack/short.mp4")
        #expect(f.outputFiles().filter { !$0.hasPrefix(".") } == ["demo/\(demoID).json", "demo/\(demoID).npy", "demo/\(demoID).world.npy",
                                                                  "demo/\(shortID).json", "demo/\(shortID).npy", "demo/\(shortID).world.npy"])
        #expect(!f.outputFiles().contains { $0.contains(".tmp-") })

        let image = try NPYFile.read(f.output.appendingPathComponent("demo/\(demoID).npy"))
        let world = try NPYFile.read(f.output.appendingPathComponent("demo/\(demoID).world.npy"))
        #expect(image.shape == [230, 33, 4] && world.shape == [230, 33, 3])
        // A frame is either a whole pose or a whole row of NaN, in both arrays alike.
        var detected = 0
        for t in 0..<230 {
            let row = image.values[t * 132..<(t + 1) * 132], worldRow = world.values[t * 99..<(t + 1) * 99]
            let nan = row.filter(\.isNaN).count, worldNaN = worldRow.filter(\.isNaN).count
            #expect((nan == 0 && worldNaN == 0) || (nan == 132 && worldNaN == 99), "frame \(t)")
            if nan == 0 { detected += 1 }
        }
        #expect(abs(Double(detected) / 230 - (demo.detectedFraction ?? -1)) < 1e-9)

        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: f.output.appendingPathComponent("demo/\(demoID).json")))
                                as? [String: Any])
        #expect(json["source"] as? String == "demo" && json["exercise"] as? String == "jumping_jack")
        #expect(json["frames"] as? Int == 230 && json["settings_sha256"] as? String == demo.settingsSHA256)
        let times = try #require(json["times"] as? [Double])
        #expect(times.count == 230 && times.enumerated().allSatisfy { abs($1 - Double($0) / 30) < 1e-5 })
        let backend = try #require(json["backend"] as? [String: Any])
        let library = try FileDigest.sha256(ofFile: MediaPipeFixture.folder.appendingPathComponent("lib/libmediapipe.so").path).hex
        #expect(backend["library_sha256"] as? String == library && backend["version"] as? String == "0.10.35")
        let video = try #require(json["video"] as? [String: Any])
        #expect(video["width"] as? Int == 640 && video["height"] as? Int == 360 && video["codec"] as? String == "vp9")

        let db = try CatalogStore.openReadOnly(f.catalog.path)
        let problems = try db.query("SELECT path, problem FROM problems WHERE problem LIKE 'extract_%' ORDER BY path").rows
        #expect(problems.map { $0.map { $0.string ?? "" } } == [["cut.mp4", "extract_decode_error"], ["pattern.mp4", "extract_no_person"]])
    }

    @Test func upToDateVideosAreSkippedAndNewSettingsOrForceRedoThem() throws {
        let f = try ExtractFixture()
        let first = try f.extract(["--exercise", "jumping_jack", "--jobs", "1"])
        #expect(first.status == 0, "\(first.all)")
        let before = try f.sequences()
        #expect(before.count == 2)

        let again = try f.extract(["--exercise", "jumping_jack"])
        #expect(again.status == 0 && again.stdout.contains("nothing to do"), "\(again.all)")

        // A recorded sequence whose file is gone is made again, and only it.
        let shortID = try f.videoID("jumping_jack/short.mp4")
        try FileManager.default.removeItem(at: f.output.appendingPathComponent("demo/\(shortID).npy"))
        let restored = try f.extract(["--exercise", "jumping_jack", "--summary-json", f.folder("restored.json").path])
        #expect(restored.status == 0 && restored.stderr.contains("missing from"), "\(restored.all)")
        #expect(try JSONDecoder().decode(SummaryCounts.self, from: Data(contentsOf: f.folder("restored.json"))).planned == 1)
        #expect(FileManager.default.fileExists(atPath: f.output.appendingPathComponent("demo/\(shortID).npy").path))

        // Another rate is another result: out of date. --limit 1 takes the first in path order.
        let slower = try f.extract(["--exercise", "jumping_jack", "--fps", "15", "--limit", "1"])
        #expect(slower.status == 0, "\(slower.all)")
        let after = try f.sequences()
        #expect(after["jumping_jack/demo.mp4"]?.frames == 115, "30 fps resampled to 15 halves the frames")
        #expect(after["jumping_jack/demo.mp4"]?.settingsSHA256 != before["jumping_jack/demo.mp4"]?.settingsSHA256)
        #expect(after["jumping_jack/short.mp4"]?.settingsSHA256 == before["jumping_jack/short.mp4"]?.settingsSHA256, "not selected: untouched")
        #expect(after["jumping_jack/short.mp4"]?.frames == 45)

        let forced = try f.extract(["--exercise", "jumping_jack", "--fps", "15", "--limit", "1", "--force"])
        #expect(forced.status == 0 && !forced.stdout.contains("nothing to do"), "\(forced.all)")
        #expect(try f.sequences()["jumping_jack/demo.mp4"]?.extractedAt ?? "" >= after["jumping_jack/demo.mp4"]?.extractedAt ?? "~")
    }

    @Test func setupAndUsageProblemsExitWith2AndSayWhatToDo() throws {
        let f = try ExtractFixture()
        let noCatalog = try Tools.run(Tools.product("biomech-extract"), ["--db", f.folder("none.sqlite").path], directory: MediaPipeFixture.root)
        #expect(noCatalog.status == 2 && noCatalog.stderr.contains("biomech-catalog scan"), "\(noCatalog.all)")
        let noMediaPipe = try f.extract([], environment: ["BIOMECH_MEDIAPIPE_DIR": f.folder("nowhere").path])
        #expect(noMediaPipe.status == 2 && noMediaPipe.stderr.contains("make setup"), "\(noMediaPipe.all)")
        let badMode = try f.extract(["--mode", "fast"])
        #expect(badMode.status == 2 && badMode.stderr.contains("--mode"), "\(badMode.all)")
        #expect(try f.sequences().isEmpty, "nothing was attempted")
    }
}
