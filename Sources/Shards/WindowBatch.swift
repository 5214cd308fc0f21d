/// Windows gathered into contiguous C-order arrays, batch axis first, as a trainer consumes them.
///
/// Each array is its shard array's shape with N replaced by `count` (`x` is `[count, W, 33, 3]`,
/// `angles` `[count, 6]` and so on; docs/SHARDS.md). `ShardReader.fill(_:with:)` refills a batch in
/// place and reallocates only when a batch grows past the capacity it has had.
public struct WindowBatch: Sendable {
    /// Frames per window (W).
    public let window: Int
    /// Windows in the batch (B).
    public private(set) var count: Int
    /// `[B, W, 33, 3]` float32.
    public var x: [Float]
    /// `[B, W, 33]`: 1 observed, 0 filled.
    public var mask: [UInt8]
    /// `[B]`, -1 unknown.
    public var exercise: [Int32]
    /// `[B]`, -1 unknown.
    public var quality: [Int32]
    /// `[B]`, NaN when missing.
    public var form: [Float]
    /// `[B, 6]`, NaN when missing.
    public var angles: [Float]
    /// `[B]`, NaN when missing.
    public var risk: [Float]
    /// `[B, 4]`: a `LabelSource` per `LabelHead`.
    public var flags: [UInt8]
    /// `[B, 2]`: (sequence, start frame).
    public var source: [Int64]

    /// An empty batch for windows of `window` frames, with room for `capacity` windows.
    public init(window: Int, capacity: Int = 0) {
        precondition(window > 0 && capacity >= 0)
        self.window = window
        count = 0
        (x, mask, exercise, quality, form, angles, risk, flags, source) = ([], [], [], [], [], [], [], [], [])
        x.reserveCapacity(capacity * ShardArray.x.rowCount(window: window))
        mask.reserveCapacity(capacity * ShardArray.mask.rowCount(window: window))
        exercise.reserveCapacity(capacity)
        quality.reserveCapacity(capacity)
        form.reserveCapacity(capacity)
        angles.reserveCapacity(capacity * 6)
        risk.reserveCapacity(capacity)
        flags.reserveCapacity(capacity * LabelHead.allCases.count)
        source.reserveCapacity(capacity * 2)
    }

    /// Window `b` of the batch as a record (a copy).
    public func record(_ b: Int) -> WindowRecord {
        precondition(b >= 0 && b < count, "window \(b) out of range for a batch of \(count)")
        func rows<T>(_ values: [T], _ array: ShardArray) -> [T] {
            let n = array.rowCount(window: window)
            return Array(values[b * n..<(b + 1) * n])
        }
        return WindowRecord(x: rows(x, .x), mask: rows(mask, .mask), exercise: exercise[b], quality: quality[b], form: form[b],
                            angles: rows(angles, .angles), risk: risk[b], flags: rows(flags, .flags),
                            sequence: source[2 * b], start: source[2 * b + 1])
    }

    /// Sets every array to exactly `rows` windows; keeps the storage, so shrinking never reallocates.
    mutating func resize(rows: Int) {
        func fit<T: Numeric>(_ values: inout [T], _ array: ShardArray) {
            let target = rows * array.rowCount(window: window)
            if values.count > target {
                values.removeLast(values.count - target)
            } else if values.count < target {
                values.append(contentsOf: repeatElement(0, count: target - values.count))
            }
        }
        fit(&x, .x); fit(&mask, .mask); fit(&exercise, .exercise); fit(&quality, .quality); fit(&form, .form)
        fit(&angles, .angles); fit(&risk, .risk); fit(&flags, .flags); fit(&source, .source)
        count = rows
    }
}

extension ShardArray {
    /// Elements in one window's entry: the product of `rowShape(window:)`.
    public func rowCount(window: Int) -> Int { rowShape(window: window).reduce(1, *) }

    /// Bytes in one window's entry.
    public func rowByteCount(window: Int) -> Int { rowCount(window: window) * dtype.itemSize }
}
