import BiomechCore
import Foundation
import NumPy

/// One window and its labels, as a row of every shard array (docs/SHARDS.md).
public struct WindowRecord: Sendable, Equatable {
    /// `[W, 33, 3]` normalized coordinates, C order.
    public var x: [Float]
    /// `[W, 33]`: 1 observed, 0 filled by interpolation.
    public var mask: [UInt8]
    public var exercise: Int32, quality: Int32
    public var form: Float
    /// The six joint angles' peak flexion, degrees.
    public var angles: [Float]
    public var risk: Float
    /// `LabelSource` per `LabelHead`.
    public var flags: [UInt8]
    /// The sequence (catalog video id, or number in the index's `sequences`) and the window's first frame.
    public var sequence: Int64, start: Int64

    public init(x: [Float], mask: [UInt8], exercise: Int32, quality: Int32, form: Float, angles: [Float], risk: Float,
                flags: [UInt8], sequence: Int64, start: Int64) {
        self.x = x; self.mask = mask; self.exercise = exercise; self.quality = quality; self.form = form
        self.angles = angles; self.risk = risk; self.flags = flags; self.sequence = sequence; self.start = start
    }
}

/// Writes the shards of one split folder: `shardSize` windows per shard, `index.json` last.
///
/// The old `index.json` goes first, so a folder being rewritten (or left by a killed run) has no
/// index and no reader trusts it. Each shard file is written to a temporary name and renamed.
public final class ShardWriter {
    public let folder: URL
    public let window: Int
    public let shardSize: Int
    private var pending: [WindowRecord] = []
    private var shards: [ShardIndex.Shard] = []
    /// Windows in the shards written so far.
    public private(set) var windows = 0
    /// Windows appended so far, written or not: the next window's global position in the split.
    public var appended: Int { windows + pending.count }

    public init(folder: URL, window: Int, shardSize: Int) throws {
        precondition(window > 0 && shardSize > 0)
        self.folder = folder
        self.window = window
        self.shardSize = shardSize
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let index = folder.appendingPathComponent(ShardIndex.fileName)
        if FileManager.default.fileExists(atPath: index.path) {
            try FileManager.default.removeItem(at: index)
            // Durable before any shard changes: after a crash the old index must not come back over new shards.
            AtomicFile.syncFolder(folder)
        }
    }

    public func append(_ record: WindowRecord) throws {
        precondition(record.x.count == window * 33 * 3 && record.mask.count == window * 33 && record.angles.count == 6
                     && record.flags.count == LabelHead.allCases.count, "WindowRecord does not fit windows of \(window) frames")
        pending.append(record)
        if pending.count == shardSize { try flush() }
    }

    /// Writes the last shard and `index` (with its shard list and window count filled in), then
    /// removes shard files of an earlier run that the new index does not name.
    @discardableResult
    public func finish(_ index: ShardIndex) throws -> ShardIndex {
        try flush()
        var index = index
        index.window = window
        index.shards = shards
        index.windows = windows
        try JSONOutput.write(index, to: folder.appendingPathComponent(ShardIndex.fileName), pretty: true)
        let kept = Set(shards.flatMap { $0.files.map(\.name) })
        // Old shards the new index does not name, and temporary files of a writer that was killed.
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where (name.hasPrefix("shard-") && name.hasSuffix(".npy") && !kept.contains(name)) || (name.hasPrefix(".shard-") && name.contains(".tmp-")) {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        return index
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        let prefix = String(format: "shard-%05d", shards.count)
        let n = pending.count
        var files: [ShardIndex.File] = []
        func add<Element: NPYElement>(_ array: ShardArray, _ values: [Element]) throws {
            let shape = [n] + array.rowShape(window: window)
            let data = NPYFile.encode(try NPYTypedArray(shape: shape, values: values))
            let name = array.fileName(prefix)
            try AtomicFile.write(data, to: folder.appendingPathComponent(name))
            files.append(ShardIndex.File(name: name, array: array.rawValue, dtype: array.dtype.descr, shape: shape, bytes: data.count,
                                         sha256: FileDigest.sha256(of: data)))
        }
        for array in ShardArray.allCases {
            switch array {
            case .x: try add(array, pending.flatMap(\.x))
            case .mask: try add(array, pending.flatMap(\.mask))
            case .exercise: try add(array, pending.map(\.exercise))
            case .quality: try add(array, pending.map(\.quality))
            case .form: try add(array, pending.map(\.form))
            case .angles: try add(array, pending.flatMap(\.angles))
            case .risk: try add(array, pending.map(\.risk))
            case .flags: try add(array, pending.flatMap(\.flags))
            case .source: try add(array, pending.flatMap { [$0.sequence, $0.start] })
            }
        }
        shards.append(ShardIndex.Shard(name: prefix, windows: n, files: files))
        windows += n
        pending.removeAll(keepingCapacity: true)
    }
}
