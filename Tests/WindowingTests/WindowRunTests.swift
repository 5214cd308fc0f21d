import BiomechCore
import CatalogStore
import Database
import Foundation
import NumPy
import Shards
import Testing
import TestSupport
import Windowing

/// `biomech-window` end to end on biomech-synth output and on a catalog, through the built executables.
@Suite struct WindowRunTests {
    /// 30 synthetic sequences of 150 frames (4 windows each before drops) in `folder/synth`.
    static func synth(_ folder: TemporaryFolder, count: Int = 30) throws -> URL {
        let out = folder("synth")
        try Tools.require(Tools.product("biomech-synth"), ["--out", out.path, "--count", "\(count)", "--frames", "150", "--seed", "7"])
        return out
    }

    static func window(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(Tools.product("biomech-window"), arguments)
    }

    /// Every file under `folder`, relative path -> bytes.
    static func files(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for split in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(split).path) {
                out["\(split)/\(name)"] = try Data(contentsOf: folder.appendingPathComponent(split).appendingPathComponent(name))
            }
        }
        return out
    }

    @Test func synthOutputBecomesByteIdenticalShardsWhateverTheJobsAndNumPyReadsThem() throws {
        let folder = try TemporaryFolder("biomech-window")
        let synth = try Self.synth(folder)
        let one = try Self.window(["--sequences", synth.path, "--out", folder("one").path, "--shard-size", "16", "--jobs", "1"])
        let two = try Self.window(["--sequences", synth.path, "--out", folder("two").path, "--shard-size", "16", "--jobs", "2"])
        #expect(one.status == 0 && two.status == 0, "\(one.all)\(two.all)")
        let a = try Self.files(folder("one")), b = try Self.files(folder("two"))
        #expect(a.keys.sorted() == b.keys.sorted() && a == b, "byte-identical with --jobs 1 and 2")

        // Windows + drops = the formula, over every split.
        var windows = 0, dropped = 0, sequences = 0
        for split in ["train", "val", "test"] {
            let index = try JSONDecoder().decode(ShardIndex.self, from: Data(contentsOf: folder("one/\(split)/index.json")))
            windows += index.windows
            dropped += index.dropped.values.reduce(0, +)
            sequences += index.sequences.count
            #expect(index.shards.allSatisfy { $0.windows <= 16 } && index.shards.dropLast().allSatisfy { $0.windows == 16 })
        }
        #expect(sequences == 30 && windows + dropped == 30 * Windower.windowCount(frames: 150, window: 60, stride: 30))
        #expect(windows > 0)

        // numpy reads every array with the documented dtype and shape; the index's sha256 values are hashlib's.
        try Tools.require(MediaPipeFixture.referencePython.path, ["-c", """
            import hashlib, json, sys, numpy as np, os
            expected = {"x": ("float32", (60, 33, 3)), "mask": ("uint8", (60, 33)), "exercise": ("int32", ()), "quality": ("int32", ()),
                        "form": ("float32", ()), "angles": ("float32", (6,)), "risk": ("float32", ()), "flags": ("uint8", (4,)),
                        "source": ("int64", (2,))}
            root = sys.argv[1]
            for split in ("train", "val", "test"):
                index = json.load(open(os.path.join(root, split, "index.json")))
                assert index["format"] == "biomech-shards" and index["version"] == 1
                for shard in index["shards"]:
                    for f in shard["files"]:
                        path = os.path.join(root, split, f["name"])
                        a = np.load(path)
                        dtype, row = expected[f["array"]]
                        assert str(a.dtype) == dtype, (path, a.dtype)
                        assert a.shape == (shard["windows"],) + row, (path, a.shape)
                        assert hashlib.sha256(open(path, "rb").read()).hexdigest() == f["sha256"], path
                        if f["array"] == "x": assert np.isfinite(a).all(), path
                        if f["array"] == "mask": assert set(np.unique(a)) <= {0, 1}, path
            """, folder("one").path])

        let stats = try Tools.run(Tools.product("biomech-window"), ["stats", "--verify", folder("one").path])
        #expect(stats.status == 0 && stats.stdout.contains("squat") && stats.stdout.contains("verified"), "\(stats.all)")
        // ShardReader serves what the files hold: the first training window, by its source, is frames 0..<60.
        let train = try ShardReader(folder: folder("one/train"))
        #expect(train.count > 0 && train.window(0).start % 30 == 0 && train.window(0).mask.count == 60 * 33)
        // A changed byte is caught by --verify, and the run exits 1 naming the file.
        let victim = folder("one/train/shard-00000.form.npy")
        var bytes = try Data(contentsOf: victim)
        bytes[bytes.count - 1] ^= 0x40
        try bytes.write(to: victim)
        let broken = try Tools.run(Tools.product("biomech-window"), ["stats", "--verify", folder("one").path])
        #expect(broken.status == 1 && broken.stderr.contains("shard-00000.form.npy"), "\(broken.all)")
    }

    @Test func badSequencesAreSkippedWithTheirFileNamedAndTheRestIsWindowed() throws {
        let folder = try TemporaryFolder("biomech-window")
        let synth = try Self.synth(folder, count: 10)
        let ids = try FileManager.default.contentsOfDirectory(atPath: synth.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { String($0.dropLast(5)) }
        func url(_ i: Int, _ suffix: String) -> URL { synth.appendingPathComponent(ids[i] + suffix) }
        // 0: the wrong shape; 1: a truncated .npy; 2: nobody on any frame; 3: an exercise biomech does not know.
        try NPYFile.write(NPYArray(shape: [150, 33, 3], values: [Float](repeating: 0, count: 150 * 99)), to: url(0, ".npy"))
        let data = try Data(contentsOf: url(1, ".world.npy"))
        try data.prefix(data.count / 2).write(to: url(1, ".world.npy"))
        try NPYFile.write(NPYArray(shape: [150, 33, 3], values: [Float](repeating: .nan, count: 150 * 99)), to: url(2, ".world.npy"))
        var json = try String(contentsOf: url(3, ".json"), encoding: .utf8)
        json = json.replacingOccurrences(of: #""exercise":"[a-z_]+""#, with: #""exercise":"flying""#, options: .regularExpression)
        try json.write(to: url(3, ".json"), atomically: true, encoding: .utf8)

        let run = try Self.window(["--sequences", synth.path, "--out", folder("shards").path])
        #expect(run.status == 1, "\(run.all)")
        #expect(run.stderr.contains(ids[0] + ".npy") && run.stderr.contains("expected [T, 33, 4]"), "\(run.stderr)")
        #expect(run.stderr.contains(ids[1] + ".world.npy"), "\(run.stderr)")
        #expect(run.stderr.contains(ids[2] + ".world.npy") && run.stderr.contains("NaN"), "\(run.stderr)")
        #expect(run.stderr.contains(ids[3] + ".json") && run.stderr.contains("'flying'"), "\(run.stderr)")
        var sources = Set<Int64>()
        for split in ["train", "val", "test"] {
            let index = try JSONDecoder().decode(ShardIndex.self, from: Data(contentsOf: folder("shards/\(split)/index.json")))
            for shard in index.shards {
                let source = try NPYFile.read(folder("shards/\(split)/\(shard.name).source.npy"), as: Int64.self).values
                for row in 0..<shard.windows { sources.insert(source[row * 2]) }
            }
        }
        #expect(sources == Set(4..<10), "the six good sequences (synthetic index 4-9) are windowed, the bad four are not")
    }

    @Test func aWindowIsTracedThroughTheCatalogToItsVideoAndFrames() throws {
        let folder = try TemporaryFolder("biomech-window")
        let synth = try Self.synth(folder, count: 1)
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: synth.path).first { $0.hasSuffix(".json") }?.dropLast(5))
        // A catalog with one extracted video, id 7, whose sequence is that synthetic one.
        let landmarks = folder("landmarks/gym")
        try FileManager.default.createDirectory(at: landmarks, withIntermediateDirectories: true)
        for suffix in [".npy", ".world.npy", ".json"] {
            try FileManager.default.copyItem(at: synth.appendingPathComponent(id + suffix), to: landmarks.appendingPathComponent("7" + suffix))
        }
        let db = try CatalogStore.open(folder("c.sqlite").path)
        try db.executeScript("""
            INSERT INTO datasets (name, title, homepage, license, commercial_use, access, manifest_sha256, scanned_at)
                VALUES ('gym', 't', 'h', 'l', 1, 'http', 'x', 'now');
            INSERT INTO videos (id, dataset, path, sha256, size_bytes, mtime, frame_count, fps, exercise, exercise_source, quality, quality_source,
                                group_key, split, scanned_at)
                VALUES (7, 'gym', 'squats/a.mp4', 'abc', 1, 1, 150, 30, 'squat', 'path_rule', 'fair', 'path_rule', 'g', 'val', 'now');
            INSERT INTO sequences (video_id, path, video_sha256, frames, fps, backend, settings_sha256, status, seconds, extracted_at)
                VALUES (7, 'gym/7.npy', 'abc', 150, 30, 'b', 's', 'ok', 1, 'now');
            """)
        let run = try Self.window(["--db", folder("c.sqlite").path, "--landmarks", folder("landmarks").path, "--out", folder("shards").path,
                                   "--shard-size", "2"])
        #expect(run.status == 0, "\(run.all)")

        // The third window: shard 1, row 0 of val (the video's split), frames 60..<120 of video 7.
        let trace = try db.query("SELECT dataset, path, start_frame, frames, start_s, exercise FROM window_sources WHERE split = 'val' AND shard = 1 AND row = 0").rows
        #expect(trace.count == 1)
        #expect(trace.first?.map(\.display) == ["gym", "squats/a.mp4", "60", "60", "2", "squat"], "\(trace)")
        let source = try NPYFile.read(folder("shards/val/shard-00001.source.npy"), as: Int64.self).values
        #expect(Array(source[0..<2]) == [7, 60])
        let exercise = try NPYFile.read(folder("shards/val/shard-00001.exercise.npy"), as: Int32.self).values
        let quality = try NPYFile.read(folder("shards/val/shard-00001.quality.npy"), as: Int32.self).values
        #expect(exercise[0] == 0 && quality[0] == 2, "the catalog's labels: squat, fair")
        // The window's x is frames 60..<120 of the sequence's world landmarks, normalized.
        let world = try NPYFile.read(landmarks.appendingPathComponent("7.world.npy")).values
        let filled = Windower.fillGaps(world, frames: 150, maxGap: 5).points
        let expected = try #require(Windower.normalize(filled[(60 * 99)..<(120 * 99)], frames: 60))
        let x = try NPYFile.read(folder("shards/val/shard-00001.x.npy")).values
        #expect(Array(x[0..<(60 * 99)]) == expected)
    }
}
