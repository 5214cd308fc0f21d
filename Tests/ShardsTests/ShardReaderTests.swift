import BiomechCore
import Foundation
import NumPy
import Shards
import Testing
import TestSupport

/// Write-then-read: every value written with ShardWriter reads back exactly, through ShardReader and through numpy.
@Suite struct ShardReaderTests {
    typealias Fixture = ShardReaderFixture

    @Test func everyValueReadsBackExactlyAcrossShards() throws {
        let folder = try TemporaryFolder()
        let records = Fixture.records(8)
        let written = try Fixture.write(records, to: folder.url)
        #expect(written.shards.map(\.windows) == [3, 3, 2])

        let reader = try ShardReader(folder: folder.url)
        #expect(reader.count == 8 && reader.window == Fixture.window)
        #expect(reader.index == written)
        for (i, record) in records.enumerated() {
            #expect(Fixture.bits(reader.window(i)) == Fixture.bits(record), "window \(i)")
        }
        try reader.verify()
    }

    @Test func batchesGatherAnyIndicesInOrder() throws {
        let folder = try TemporaryFolder()
        let records = Fixture.records(8)
        try Fixture.write(records, to: folder.url)
        let reader = try ShardReader(folder: folder.url)

        let indices = [7, 0, 3, 3, 5, 2, 6]
        let batch = reader.batch(indices)
        #expect(batch.count == indices.count)
        #expect(batch.x.count == indices.count * Fixture.window * 33 * 3 && batch.mask.count == indices.count * Fixture.window * 33)
        #expect(batch.angles.count == indices.count * 6 && batch.flags.count == indices.count * 4 && batch.source.count == indices.count * 2)
        for (b, i) in indices.enumerated() {
            #expect(Fixture.bits(batch.record(b)) == Fixture.bits(records[i]), "batch row \(b) = window \(i)")
        }

        // Refilling in place: a smaller batch, then a larger one, each exactly its windows.
        var reused = WindowBatch(window: Fixture.window, capacity: 8)
        for wanted in [[1, 2], Array(0..<8).reversed(), [4]] {
            reader.fill(&reused, with: wanted)
            #expect(reused.count == wanted.count && reused.x.count == wanted.count * Fixture.window * 99)
            for (b, i) in wanted.enumerated() { #expect(Fixture.bits(reused.record(b)) == Fixture.bits(records[i])) }
        }
        reader.fill(&reused, with: [])
        #expect(reused.count == 0 && reused.x.isEmpty)
    }

    @Test func copyGathersOneArrayIntoCallerMemory() throws {
        let folder = try TemporaryFolder()
        let records = Fixture.records(8)
        try Fixture.write(records, to: folder.url)
        let reader = try ShardReader(folder: folder.url)
        let indices = 2..<7
        var risk = [Float](repeating: 0, count: indices.count)
        risk.withUnsafeMutableBytes { reader.copy(.risk, rows: indices, into: $0) }
        #expect(risk.map(\.bitPattern) == records[indices].map(\.risk.bitPattern))
        var source = [Int64](repeating: 0, count: 2 * indices.count)
        source.withUnsafeMutableBytes { reader.copy(.source, rows: indices, into: $0) }
        #expect(source == records[indices].flatMap { [$0.sequence, $0.start] })
        #expect(ShardArray.x.rowByteCount(window: Fixture.window) == Fixture.window * 33 * 3 * 4)
    }

    @Test func unevenShardsAreLocatedByTheirStarts() throws {
        // Reorder shards [3, 3, 2] into [2, 3, 3]: names and files renamed, contents (and hashes) unchanged.
        let folder = try TemporaryFolder()
        let records = Fixture.records(8)
        try Fixture.write(records, to: folder.url)
        let order = [2, 0, 1]
        for array in ShardArray.allCases {
            for (new, old) in order.enumerated() {
                try FileManager.default.moveItem(at: folder(array.fileName(String(format: "shard-%05d", old))),
                                                 to: folder("tmp-\(new).\(array.rawValue)"))
            }
            for new in order.indices {
                try FileManager.default.moveItem(at: folder("tmp-\(new).\(array.rawValue)"),
                                                 to: folder(array.fileName(String(format: "shard-%05d", new))))
            }
        }
        try Fixture.editIndex(folder.url) { index in
            let shards = index["shards"] as! [[String: Any]]
            index["shards"] = order.enumerated().map { new, old in
                var shard = shards[old]
                let name = String(format: "shard-%05d", new)
                shard["name"] = name
                shard["files"] = (shard["files"] as! [[String: Any]]).map { file in
                    var file = file
                    file["name"] = ShardArray(rawValue: file["array"] as! String)!.fileName(name)
                    return file
                }
                return shard
            }
        }
        let reader = try ShardReader(folder: folder.url)
        try reader.verify()
        let expected = [6, 7, 0, 1, 2, 3, 4, 5]
        for (i, original) in expected.enumerated() {
            #expect(Fixture.bits(reader.window(i)) == Fixture.bits(records[original]), "window \(i)")
        }
    }

    @Test func numpyLoadsEveryFileWithTheDocumentedDtypeShapeHashAndValues() throws {
        let folder = try TemporaryFolder()
        let records = Fixture.records(8)
        try Fixture.write(records, to: folder.url)
        // numpy sums the bit patterns of every file's values; the same sums from the records must match.
        let sums = folder("sums.json")
        try Tools.python("""
            import hashlib, json, sys
            import numpy as np
            folder, out = sys.argv[1], sys.argv[2]
            index = json.load(open(folder + "/index.json"))
            documented = {"x": ("<f4", (index["window"], 33, 3)), "mask": ("|u1", (index["window"], 33)),
                          "exercise": ("<i4", ()), "quality": ("<i4", ()), "form": ("<f4", ()), "angles": ("<f4", (6,)),
                          "risk": ("<f4", ()), "flags": ("|u1", (4,)), "source": ("<i8", (2,))}
            sums = {}
            for shard in index["shards"]:
                assert [f["array"] for f in shard["files"]] == list(documented), shard["files"]
                for f in shard["files"]:
                    path = folder + "/" + f["name"]
                    a = np.load(path, mmap_mode="r")
                    dtype, row = documented[f["array"]]
                    assert a.dtype.str == dtype == f["dtype"], (path, a.dtype.str)
                    assert a.shape == (shard["windows"],) + row and list(a.shape) == f["shape"], (path, a.shape)
                    data = open(path, "rb").read()
                    assert len(data) == f["bytes"], path
                    assert hashlib.sha256(data).hexdigest() == f["sha256"], path
                    bits = np.ascontiguousarray(a).view({4: np.uint32, 1: np.uint8, 8: np.uint64}[a.dtype.itemsize])
                    sums[f["array"]] = (sums.get(f["array"], 0) + int(bits.astype(np.uint64).sum(dtype=np.uint64))) % 2**64
            assert sum(s["windows"] for s in index["shards"]) == index["windows"]
            json.dump(sums, open(out, "w"))
            """, [folder.path, sums.path])
        let found = try JSONSerialization.jsonObject(with: Data(contentsOf: sums)) as! [String: UInt64]
        func sum(_ values: [some BinaryInteger]) -> UInt64 { values.reduce(0) { $0 &+ UInt64(truncatingIfNeeded: $1) } }
        let expected: [String: UInt64] = [
            "x": sum(records.flatMap { $0.x.map(\.bitPattern) }), "mask": sum(records.flatMap(\.mask)),
            "exercise": sum(records.map { UInt32(bitPattern: $0.exercise) }), "quality": sum(records.map { UInt32(bitPattern: $0.quality) }),
            "form": sum(records.map(\.form.bitPattern)), "angles": sum(records.flatMap { $0.angles.map(\.bitPattern) }),
            "risk": sum(records.map(\.risk.bitPattern)), "flags": sum(records.flatMap(\.flags)),
            "source": sum(records.flatMap { [UInt64(bitPattern: $0.sequence), UInt64(bitPattern: $0.start)] }),
        ]
        #expect(found == expected)
    }

    @Test func concurrentReadsEqualSerialReads() throws {
        let folder = try TemporaryFolder()
        let records = Fixture.records(40, seed: 11)
        try Fixture.write(records, to: folder.url, shardSize: 7)
        let reader = try ShardReader(folder: folder.url)
        let serial = (0..<reader.count).map { Fixture.bits(reader.window($0)) }

        // Each thread reads its own permutation, twice through each API, while the others read.
        let threads = 8
        let mismatches = Parallel.map(Array(0..<threads), jobs: threads) { t -> Int in
            var random = SeededRandom(seed: 100, stream: UInt64(t))
            var bad = 0
            var batch = WindowBatch(window: reader.window)
            for _ in 0..<20 {
                let indices = (0..<reader.count).shuffled(using: &random)
                for i in indices where Fixture.bits(reader.window(i)) != serial[i] { bad += 1 }
                reader.fill(&batch, with: indices.prefix(16 + t))
                for (b, i) in indices.prefix(16 + t).enumerated() where Fixture.bits(batch.record(b)) != serial[i] { bad += 1 }
                let fresh = reader.batch(indices.suffix(9))
                for (b, i) in indices.suffix(9).enumerated() where Fixture.bits(fresh.record(b)) != serial[i] { bad += 1 }
            }
            return bad
        }
        #expect(mismatches == Array(repeating: 0, count: threads))
    }

    @Test func anEmptySplitOpensWithNoWindows() throws {
        let folder = try TemporaryFolder()
        let written = try Fixture.write([], to: folder.url)
        #expect(written.shards.isEmpty)
        let reader = try ShardReader(folder: folder.url)
        #expect(reader.count == 0 && reader.batch([Int]()).count == 0)
        try reader.verify()
    }

    @Test func splitsOpensEverySplitByName() throws {
        let root = try TemporaryFolder()
        for (n, split) in ["train", "val", "test"].enumerated() {
            try Fixture.write(Fixture.records(2 + n, seed: UInt64(n)), to: root(split), split: split, shardSize: 2)
        }
        let splits = try ShardReader.splits(of: root.url)
        #expect(splits.keys.sorted() == ["test", "train", "val"])
        #expect(splits.mapValues(\.count) == ["train": 2, "val": 3, "test": 4])
        #expect(Fixture.bits(splits["test"]!.window(3)) == Fixture.bits(Fixture.records(4, seed: 2)[3]))

        // A split whose index names another split, and one left without index.json, are refused.
        try Fixture.editIndex(root("val")) { $0["split"] = "train" }
        #expect { try ShardReader.splits(of: root.url) } throws: { error in
            "\(error)".contains("val/index.json: key 'split': is 'train' (expected 'val'")
        }
        try Fixture.editIndex(root("val")) { $0["split"] = "val" }
        try FileManager.default.removeItem(at: root("test/index.json"))
        #expect { try ShardReader.splits(of: root.url) } throws: { error in
            "\(error)" == "\(root("test").path): no index.json: not a shard folder, or a run of biomech-window that did not finish"
        }
    }

    @Test func anIndexOutOfRangeTraps() async throws {
        let folder = try TemporaryFolder()
        try ShardReaderFixture.write(ShardReaderFixture.records(2), to: folder.url)
        await #expect(processExitsWith: .signal(SIGILL)) { [path = folder.path as String] in
            let reader = try ShardReader(folder: URL(fileURLWithPath: path))
            _ = reader.window(1)
            _ = reader.window(2)
        }
    }
}
