import BiomechCore
import Foundation
import NumPy
import Shards
import Testing
import TestSupport

/// What ShardReader refuses, at open and in verify(), and that each message names the file, the key and what was expected.
@Suite struct ShardReaderRejectionTests {
    typealias Fixture = ShardReaderFixture

    /// A fresh split of 8 windows in shards [3, 3, 2].
    private func folder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try Fixture.write(Fixture.records(8), to: folder.url)
        return folder
    }

    /// The message of the ShardError that opening `folder` throws.
    private func openError(_ folder: TemporaryFolder) -> String {
        do {
            _ = try ShardReader(folder: folder.url)
            return "opened"
        } catch let error as ShardError {
            return error.description
        } catch {
            return "not a ShardError: \(error)"
        }
    }

    @Test func verifyRefusesAFlippedDataByte() throws {
        let folder = try folder()
        let reader = try ShardReader(folder: folder.url)
        try reader.verify()
        let file = folder("shard-00001.x.npy")
        let entry = reader.index.shards[1].files[0]
        var data = try Data(contentsOf: file)
        data[data.count - 5] ^= 0x01
        try data.write(to: file)

        // The header is intact, so the folder still opens; only the hash tells.
        let reopened = try ShardReader(folder: folder.url)
        let found = FileDigest.sha256(of: data)
        #expect { try reopened.verify() } throws: { error in
            "\(error)" == "\(file.path): sha256 is \(found) (expected \(entry.sha256) from index.json): the file changed after it was written"
        }
    }

    @Test func verifyRefusesAFileReplacedAfterOpening() throws {
        let folder = try folder()
        let reader = try ShardReader(folder: folder.url)
        let file = folder("shard-00002.form.npy")
        try NPYFile.write(NPYTypedArray(shape: [2], values: [Float(1), 2]), to: file)
        #expect { try reader.verify() } throws: { error in
            "\(error)".hasPrefix("\(file.path): sha256 is ")
        }
    }

    @Test func aMissingIndexIsAnUnfinishedRun() throws {
        let folder = try folder()
        try FileManager.default.removeItem(at: folder("index.json"))
        #expect(openError(folder) == "\(folder.path): no index.json: not a shard folder, or a run of biomech-window that did not finish")
    }

    @Test func aChangedDtypeIsRefused() throws {
        let folder = try folder()
        let file = folder("shard-00001.exercise.npy")
        try NPYFile.write(NPYTypedArray(shape: [3], values: [Float(0), 1, 2]), to: file)
        let message = openError(folder)
        #expect(message.hasPrefix("\(file.path): not a readable .npy: dtype '<f4' is not supported (expected '<i4'"), "\(message)")
        #expect(message.hasSuffix("(index.json says <i4 (3,), 140 bytes)"), "\(message)")
    }

    @Test func aChangedShapeIsRefused() throws {
        let folder = try folder()
        let file = folder("shard-00000.angles.npy")
        // Same dtype and byte count as the [3, 6] original, another shape.
        try NPYFile.write(NPYTypedArray(shape: [6, 3], values: [Float](repeating: 1, count: 18)), to: file)
        #expect(openError(folder) == "\(file.path): header shape is (6, 3) (expected (3, 6) from index.json 'shards[0].files[5].shape')")
    }

    @Test func aTruncatedFileIsRefused() throws {
        let folder = try folder()
        let file = folder("shard-00002.x.npy")
        let data = try Data(contentsOf: file)
        try data.prefix(data.count - 10).write(to: file)
        let message = openError(folder)
        #expect(message.hasPrefix("\(file.path): not a readable .npy: data is 3158 bytes but shape (2, 4, 33, 3) of '<f4' needs 3168 (truncated?)"),
                "\(message)")
    }

    @Test func aMissingFileIsRefused() throws {
        let folder = try folder()
        try FileManager.default.removeItem(at: folder("shard-00001.flags.npy"))
        #expect(openError(folder) == "\(folder("shard-00001.flags.npy").path): is missing (index.json lists it at 'shards[1].files[7]')")
    }

    @Test func aSizeOtherThanTheIndexSaysIsRefused() throws {
        let folder = try folder()
        try Fixture.editIndex(folder.url) { index in
            var shards = index["shards"] as! [[String: Any]]
            var files = shards[0]["files"] as! [[String: Any]]
            files[2]["bytes"] = 141
            shards[0]["files"] = files
            index["shards"] = shards
        }
        #expect(openError(folder) == "\(folder("shard-00000.exercise.npy").path): is 140 bytes (expected 141 from index.json 'shards[0].files[2].bytes')")
    }

    /// Edits of index.json and the message each must give (after `index.json: `).
    static let indexEdits: [(String, @Sendable (inout [String: Any]) -> Void, String)] = [
        ("wrong version", { $0["version"] = 2 }, "key 'version': is 2 (expected 1: this reader reads version 1 only)"),
        ("version as text", { $0["version"] = "1" }, "key 'version': is '1' (expected 1: this reader reads version 1 only)"),
        ("no version", { $0["version"] = nil }, "key 'version': is missing (expected 1: this reader reads version 1 only)"),
        ("wrong format", { $0["format"] = "mds" }, "key 'format': is 'mds' (expected 'biomech-shards')"),
        ("missing key", { $0["stride"] = nil }, "key 'stride': is missing (required by biomech-shards version 1)"),
        ("missing nested key", { index in
            index["shards"] = (index["shards"] as! [[String: Any]]).enumerated().map { s, shard in
                var shard = shard
                if s == 2 { shard["windows"] = nil }
                return shard
            }
        }, "key 'shards[2].windows': is missing (required by biomech-shards version 1)"),
        ("wrong type", { $0["window"] = "4" }, "key 'window': has the wrong type (expected an integer)"),
        ("zero window", { $0["window"] = 0 }, "key 'window': is 0 (expected frames per window, > 0)"),
        ("zero stride", { $0["stride"] = 0 }, "key 'stride': is 0 (expected frames between window starts, > 0)"),
        ("totals", { $0["windows"] = 9 }, "key 'windows': is 9 (expected 8, the sum of the shards' windows)"),
        ("heads", { $0["heads"] = ["form", "exercise", "angles", "risk"] },
         "key 'heads': is [\"form\", \"exercise\", \"angles\", \"risk\"] (expected [\"form\", \"angles\", \"exercise\", \"risk\"], the columns of 'flags')"),
        ("label source counts", { index in
            var sources = index["label_sources"] as! [String: [String: Int]]
            sources["risk"]!["truth"]! += 1
            index["label_sources"] = sources
        }, "key 'label_sources.risk': counts 9 windows (expected 8, the key 'windows')"),
        ("shard name", { index in editShard(&index, 1) { $0["name"] = "../shard-00001" } },
         "key 'shards[1].name': is '../shard-00001' (expected 'shard-00001': shards are numbered in order)"),
        ("file missing from the index", { index in
            editShard(&index, 1) { shard in shard["files"] = (shard["files"] as! [[String: Any]]).filter { $0["array"] as? String != "risk" } }
        }, "key 'shards[1].files': has no entry for 'risk' (expected the 9 arrays x, mask, exercise, quality, form, angles, risk, flags, source, in that order)"),
        ("files out of order", { index in
            editShard(&index, 0) { shard in shard["files"] = Array((shard["files"] as! [[String: Any]]).reversed()) }
        }, "key 'shards[0].files': lists [\"source\", \"flags\", \"risk\", \"angles\", \"form\", \"quality\", \"exercise\", \"mask\", \"x\"] "
            + "(expected the 9 arrays x, mask, exercise, quality, form, angles, risk, flags, source, in that order)"),
        ("file name", { index in editFile(&index, 0, 1) { $0["name"] = "/etc/passwd" } },
         "key 'shards[0].files[1].name': is '/etc/passwd' (expected 'shard-00000.mask.npy')"),
        ("index dtype", { index in editFile(&index, 0, 8) { $0["dtype"] = "<i4" } },
         "key 'shards[0].files[8].dtype': is '<i4' (expected '<i8' for 'source')"),
        ("index shape", { index in editFile(&index, 2, 0) { $0["shape"] = [2, 4, 33, 4] } },
         "key 'shards[2].files[0].shape': is (2, 4, 33, 4) (expected (2, 4, 33, 3): 2 windows of 4 frames)"),
        ("sha256", { index in editFile(&index, 0, 0) { $0["sha256"] = "ABC" } },
         "key 'shards[0].files[0].sha256': is 'ABC' (expected 64 lowercase hex digits)"),
    ]

    @Test(arguments: indexEdits.indices)
    func aBadIndexIsRefusedNamingTheKey(_ n: Int) throws {
        let (_, edit, expected) = Self.indexEdits[n]
        let folder = try folder()
        try Fixture.editIndex(folder.url, edit)
        #expect(openError(folder) == "\(folder("index.json").path): \(expected)")
    }

    @Test func notJSONIsRefused() throws {
        let folder = try folder()
        try Data("{\"format\": ".utf8).write(to: folder("index.json"))
        #expect(openError(folder) == "\(folder("index.json").path): is not a JSON object (expected the index of a biomech-shards split folder)")
    }

    private static func editShard(_ index: inout [String: Any], _ s: Int, _ edit: (inout [String: Any]) -> Void) {
        var shards = index["shards"] as! [[String: Any]]
        edit(&shards[s])
        index["shards"] = shards
    }

    private static func editFile(_ index: inout [String: Any], _ s: Int, _ f: Int, _ edit: @escaping (inout [String: Any]) -> Void) {
        editShard(&index, s) { shard in
            var files = shard["files"] as! [[String: Any]]
            edit(&files[f])
            shard["files"] = files
        }
    }
}
