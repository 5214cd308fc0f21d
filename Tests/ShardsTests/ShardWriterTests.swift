import BiomechCore
import Foundation
import NumPy
import Shards
import Testing
import TestSupport

/// The write protocol: shards then index.json; a rewrite has no index until it is done; leftovers go.
@Suite struct ShardWriterTests {
    func record(_ i: Int, window: Int = 4) -> WindowRecord {
        WindowRecord(x: (0..<(window * 99)).map { Float($0 + i) }, mask: [UInt8](repeating: 1, count: window * 33), exercise: Int32(i % 5),
                     quality: -1, form: Float(i), angles: [Float](repeating: 90, count: 6), risk: 10, flags: [0, 1, 2, 0],
                     sequence: Int64(i), start: 0)
    }

    func index(_ split: String) -> ShardIndex {
        ShardIndex(format: ShardIndex.formatName, version: ShardIndex.formatVersion, split: split, window: 4, stride: 2, coords: "world",
                   normalization: "n", exercises: ["squat"], qualities: ["good"],
                   angles: ["left_knee", "right_knee", "left_hip", "right_hip", "left_elbow", "right_elbow"],
                   heads: LabelHead.allCases.map(\.name), source: "sequences", sequences: [], windows: 0,
                   dropped: [:], labelSources: [:], thresholds: Thresholds(), shards: [])
    }

    @Test func shardsAreFullButTheLastAndTheIndexNamesEveryFileWithItsHash() throws {
        let folder = try TemporaryFolder("shards")
        let writer = try ShardWriter(folder: folder("train"), window: 4, shardSize: 3)
        for i in 0..<7 { try writer.append(record(i)) }
        #expect(writer.windows == 6 && writer.appended == 7, "two shards written, one window pending")
        let index = try writer.finish(index("train"))
        #expect(index.windows == 7 && index.shards.map(\.windows) == [3, 3, 1])
        #expect(index.shards.map(\.name) == ["shard-00000", "shard-00001", "shard-00002"])
        for shard in index.shards {
            #expect(shard.files.map(\.array) == ShardArray.allCases.map(\.rawValue))
            for file in shard.files {
                let data = try Data(contentsOf: folder("train/\(file.name)"))
                #expect(data.count == file.bytes && FileDigest.sha256(of: data) == file.sha256, "\(file.name)")
            }
        }
        let stored = try JSONDecoder().decode(ShardIndex.self, from: Data(contentsOf: folder("train/index.json")))
        #expect(stored == index)
        let source = try NPYFile.read(folder("train/shard-00002.source.npy"), as: Int64.self)
        #expect(source.shape == [1, 2] && source.values == [6, 0])
    }

    @Test func aRewriteRemovesTheOldIndexFirstAndTheOldShardsLast() throws {
        let folder = try TemporaryFolder("shards")
        let first = try ShardWriter(folder: folder("val"), window: 4, shardSize: 2)
        for i in 0..<6 { try first.append(record(i)) }
        try first.finish(index("val"))
        #expect(FileManager.default.fileExists(atPath: folder("val/shard-00002.x.npy").path))

        let second = try ShardWriter(folder: folder("val"), window: 4, shardSize: 2)
        #expect(!FileManager.default.fileExists(atPath: folder("val/index.json").path), "no index while the folder is rewritten")
        try second.append(record(9))
        try Data().write(to: folder("val/.shard-00000.x.npy.tmp-1-2"))  // what a killed writer leaves
        let index = try second.finish(index("val"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder("val").path).sorted()
        #expect(names == (["index.json"] + ShardArray.allCases.map { $0.fileName("shard-00000") }).sorted())
        #expect(index.windows == 1)
        #expect(try ShardReader(folder: folder("val")).window(0) == record(9), "the reader accepts what the writer wrote")
    }
}
