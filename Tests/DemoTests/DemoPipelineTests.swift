import Foundation
import NumPy
import Testing
import TestSupport

/// `make demo`'s script end to end at a reduced size (100 synthetic sequences, one epoch of pretraining
/// and one of fine-tuning) on the real clips: each stage's outputs exist and agree with the others,
/// and a second run reuses every step.
@Suite(.serialized) struct DemoPipelineTests {
    /// The one run of the script that every test here reads (a fresh folder per test process).
    static let run: Result<(folder: TemporaryFolder, output: String), any Error> = Result {
        try MediaPipeFixture.requireDemoVideo()
        let folder = try TemporaryFolder("biomech-demo")
        let result = try script(in: folder)
        guard result.status == 0 else { throw FixtureError("scripts/demo.sh failed (\(result.status)):\n\(result.all)") }
        return (folder, result.all)
    }

    static func script(in folder: TemporaryFolder) throws -> Tools.Result {
        try Tools.run("bash", [MediaPipeFixture.root.appendingPathComponent("scripts/demo.sh").path, Tools.productsFolder.path],
                      environment: ["DEMO_DATA": folder("data").path, "DEMO_RUNS": folder("runs").path,
                                    "DEMO_REPORTS": folder("reports").path, "DEMO_SYNTH": "100",
                                    "DEMO_PRETRAIN_EPOCHS": "1", "DEMO_FINETUNE_EPOCHS": "1"],
                      directory: folder.url)
    }

    /// Rows of a query, through the sqlite3 command line analysts use.
    static func rows(_ sql: String, in folder: TemporaryFolder) throws -> [[String: Any]] {
        let result = try Tools.run("sqlite3", ["-readonly", "-json", folder("data/catalog.sqlite").path, sql])
        guard result.status == 0 else { throw FixtureError("sqlite3 failed: \(result.all)") }
        if result.stdout.isEmpty { return [] }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], "\(url.path)")
    }

    /// The first dimension of a .npy file's shape, from its header.
    static func npyRows(_ url: URL) throws -> Int? { try NPYFile.readHeader(url).shape.first }

    @Test func catalogRowsMatchFetchedFilesAndSequenceFiles() throws {
        let (folder, _) = try Self.run.get()
        let videos = try Self.rows("SELECT id, path, frame_count FROM videos ORDER BY id", in: folder)
        #expect(videos.map { $0["path"] as? String } == ["videos/jumping_jack/jumping_jacks_sports2d.mp4", "videos/situp/aipose_situps.mp4"])
        for video in videos {
            #expect(FileManager.default.fileExists(atPath: folder("data/raw/demo-people/files/\(video["path"] as! String)").path))
        }
        let sequences = try Self.rows("SELECT video_id, path, frames FROM sequences WHERE status = 'ok' ORDER BY video_id", in: folder)
        #expect(sequences.map { $0["video_id"] as? Int } == videos.map { $0["id"] as? Int })
        var onDisk = Set<String>()
        let landmarks = folder("data/landmarks")
        for case let file as String in FileManager.default.enumerator(atPath: landmarks.path)!
        where file.hasSuffix(".npy") && !file.hasSuffix(".world.npy") {
            onDisk.insert(file)
        }
        #expect(onDisk == Set(sequences.compactMap { $0["path"] as? String }))
        for sequence in sequences {
            let path = try #require(sequence["path"] as? String)
            let npy = landmarks.appendingPathComponent(path)
            #expect(try Self.npyRows(npy) == sequence["frames"] as? Int)
            #expect(try Self.npyRows(npy.deletingPathExtension().appendingPathExtension("world.npy")) == sequence["frames"] as? Int)
            #expect(FileManager.default.fileExists(atPath: npy.deletingPathExtension().appendingPathExtension("json").path))
        }
    }

    @Test func shardTotalsMatchTheWindowsTable() throws {
        let (folder, _) = try Self.run.get()
        var total = 0
        for split in ["train", "val", "test"] {
            let index = try Self.json(folder("data/shards/real/\(split)/index.json"))
            let windows = try #require(index["windows"] as? Int)
            let rows = try Self.rows("SELECT COUNT(*) AS n FROM windows WHERE split = '\(split)'", in: folder)
            #expect(rows.first?["n"] as? Int == windows, "split \(split)")
            total += windows
        }
        // The sit-ups (527 frames) are in train, the jumping jacks (230) in test: 60-frame windows every 30.
        #expect(total > 15)
        let splits = try Self.rows("SELECT path, split FROM window_sources GROUP BY path, split ORDER BY path", in: folder)
        #expect(splits.map { "\($0["path"]!) \($0["split"]!)" } == ["videos/jumping_jack/jumping_jacks_sports2d.mp4 test",
                                                                     "videos/situp/aipose_situps.mp4 train"])
        for split in ["train", "val", "test"] {
            #expect(try Self.json(folder("data/shards/synthetic/\(split)/index.json"))["windows"] as? Int ?? 0 > 0)
        }
    }

    @Test func runFoldersHoldMetricsAndHistory() throws {
        let (folder, output) = try Self.run.get()
        let figures = ["windows", "counts", "angle_mae_deg", "form_mae", "exercise_accuracy", "risk_mae", "confusion", "class_names"]
        for run in ["pretrain", "finetune"] {
            let metrics = try Self.json(folder("runs/\(run)/metrics.json"))
            #expect(Set(metrics.keys) == ["best_epoch", "epochs", "stopped_early", "val_split", "val", "test"], "\(run)")
            let test = try #require(metrics["test"] as? [String: Any])
            let synthetic = try #require(test["synthetic"] as? [String: Any])
            #expect(Set(figures).isSubset(of: Set(synthetic.keys)), "\(run): \(synthetic.keys.sorted())")
        }
        let finetune = try Self.json(folder("runs/finetune/metrics.json"))
        #expect(finetune["val_split"] as? String == "synthetic")  // the real val split is empty: two clips, train and test
        let real = try #require((finetune["test"] as? [String: Any])?["real"] as? [String: Any])
        #expect(real["angle_mae_deg"] is Double)
        #expect(real["form_mae"] == nil)  // real windows carry computed angles only
        #expect(try Data(contentsOf: folder("runs/history.png")).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(output.contains("fine-tuned, real test"))
    }

    @Test func reportMatchesItsSchemaAndVideoHasEveryFrame() throws {
        let (folder, output) = try Self.run.get()
        let report = folder("reports/report.json")
        #expect(try ReportSchema.problem(report, in: folder) == nil)
        let json = try Self.json(report)
        #expect((json["exercise_type"] as? [String: Any])?["name"] as? String == "jumping_jack")
        let probe = try Tools.run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
                                              "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", folder("reports/annotated.mp4").path])
        let frames = try Self.rows("SELECT frame_count FROM videos WHERE path LIKE '%sports2d.mp4'", in: folder).first?["frame_count"] as? Int
        #expect(Int(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == frames)
        #expect(frames == 230)
        #expect(try Data(contentsOf: folder("reports/summary.png")).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(output.contains("-- three sqlite3 queries"))
    }

    @Test func secondRunReusesEveryStep() throws {
        let (folder, _) = try Self.run.get()
        let catalog = folder("data/catalog.sqlite")
        let before = try FileManager.default.attributesOfItem(atPath: catalog.path)[.modificationDate] as? Date
        let again = try Self.script(in: folder)
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stdout.components(separatedBy: "reusing it").count - 1 == 7, "\(again.stdout)")
        #expect(try FileManager.default.attributesOfItem(atPath: catalog.path)[.modificationDate] as? Date == before)
    }
}
