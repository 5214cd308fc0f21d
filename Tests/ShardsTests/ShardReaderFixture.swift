import BiomechCore
import Foundation
import NumPy
import Shards
import TestSupport

/// Split folders written with `ShardWriter` from known records, for the reader's tests.
enum ShardReaderFixture {
    static let window = 4

    /// Floats that must survive byte for byte: NaNs with payloads and signs, infinities, -0, a subnormal.
    static let specialFloats: [Float] = [
        Float(bitPattern: 0x7FC0_0001), Float(bitPattern: 0xFFC1_2345), Float(bitPattern: 0x7F80_0001),
        .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
    ]

    /// `count` distinct records; every few hold the special floats and missing labels.
    static func records(_ count: Int, window: Int = window, seed: UInt64 = 7) -> [WindowRecord] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { i in
            var x = (0..<window * 33 * 3).map { _ in Float(random.signedUnit()) }
            var form = Float(random.unit() * 100)
            var angles = (0..<6).map { _ in Float(random.uniform(0...180)) }
            var risk = Float(random.unit())
            if i % 3 == 1 {
                for (k, value) in specialFloats.enumerated() { x[(k * 37 + i) % x.count] = value }
                form = specialFloats[i % specialFloats.count]
                angles[i % 6] = Float(bitPattern: 0x7FC0_0000 | UInt32(i))
                risk = .nan
            }
            return WindowRecord(
                x: x, mask: (0..<window * 33).map { _ in UInt8(random.next() % 2) },
                exercise: i % 5 == 4 ? -1 : Int32(i % 4), quality: i % 7 == 6 ? -1 : Int32(i % 3),
                form: form, angles: angles, risk: risk,
                flags: (0..<4).map { _ in UInt8(random.next() % 3) },
                sequence: Int64(1_000_000_000_000) + Int64(i / 3), start: Int64(i) * 15 - (i == 5 ? 1 << 40 : 0))
        }
    }

    /// Writes `records` as split `split` of `folder` in shards of `shardSize`; returns the index written.
    @discardableResult
    static func write(_ records: [WindowRecord], to folder: URL, split: String = "train", window: Int = window,
                      shardSize: Int = 3) throws -> ShardIndex {
        let writer = try ShardWriter(folder: folder, window: window, shardSize: shardSize)
        for record in records { try writer.append(record) }
        return try writer.finish(index(split: split, window: window, records: records))
    }

    /// An index for `records` as the window stage would fill it; `finish` adds shards and windows.
    static func index(split: String, window: Int, records: [WindowRecord]) -> ShardIndex {
        var labelSources: [String: [String: Int]] = [:]
        for record in records {
            for head in LabelHead.allCases { labelSources[head.name, default: [:]][LabelSource(rawValue: record.flags[head.rawValue])!.name, default: 0] += 1 }
        }
        return ShardIndex(
            format: ShardIndex.formatName, version: ShardIndex.formatVersion, split: split, window: window, stride: 2, coords: "world",
            normalization: "hips centred, scaled by torso length", exercises: ["squat", "pushup", "lunge", "plank"],
            qualities: ["good", "fair", "poor"], angles: ["left_knee", "right_knee", "left_hip", "right_hip", "left_elbow", "right_elbow"],
            heads: LabelHead.allCases.map(\.name), source: "sequences",
            sequences: Set(records.map(\.sequence)).sorted().map { ShardIndex.SequenceEntry(id: "seq-\($0)", number: $0) },
            windows: 0, dropped: ["unfilled_gap": 1, "missing_frames": 0, "missing_landmarks": 2], labelSources: labelSources,
            thresholds: Thresholds(), shards: [])
    }

    /// Rewrites `index.json` of `folder` through `edit` on its JSON object.
    static func editIndex(_ folder: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let url = folder.appendingPathComponent(ShardIndex.fileName)
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        edit(&object)
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
    }

    /// The bit patterns of a record's floats, so NaNs compare by their bits.
    static func bits(_ record: WindowRecord) -> [UInt64] {
        record.x.map { UInt64($0.bitPattern) } + record.mask.map(UInt64.init)
            + [UInt64(UInt32(bitPattern: record.exercise)), UInt64(UInt32(bitPattern: record.quality)), UInt64(record.form.bitPattern)]
            + record.angles.map { UInt64($0.bitPattern) } + [UInt64(record.risk.bitPattern)] + record.flags.map(UInt64.init)
            + [UInt64(bitPattern: record.sequence), UInt64(bitPattern: record.start)]
    }
}
