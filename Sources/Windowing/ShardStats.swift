import BiomechCore
import Foundation
import Shards

/// What a shard folder holds, per split: windows by class and quality, label sources, drops.
public struct ShardStats: Sendable {
    public struct Split: Sendable {
        public var name: String
        public var index: ShardIndex
        /// Windows per exercise name (`unknown` for -1) and per quality name.
        public var exercises: [String: Int]
        public var qualities: [String: Int]
    }

    public var splits: [Split]

    /// Opens every split of `folder` with `ShardReader` (which validates each index and file header),
    /// checks every file's SHA-256 when `verify` is set, and counts the windows' classes and qualities.
    public static func read(_ folder: URL, verify: Bool = false) throws -> ShardStats {
        let readers = try ShardReader.splits(of: folder)
        var splits: [Split] = []
        for name in ["train", "val", "test"] + readers.keys.sorted().filter({ !["train", "val", "test"].contains($0) }) {
            guard let reader = readers[name] else { continue }
            if verify { try reader.verify() }
            let index = reader.index
            var exercises: [String: Int] = [:], qualities: [String: Int] = [:]
            let all = 0..<reader.count
            var exercise = [Int32](repeating: 0, count: reader.count), quality = [Int32](repeating: 0, count: reader.count)
            exercise.withUnsafeMutableBytes { reader.copy(ShardArray.exercise, rows: all, into: $0) }
            quality.withUnsafeMutableBytes { reader.copy(ShardArray.quality, rows: all, into: $0) }
            func label(_ value: Int32, _ vocabulary: [String]) -> String {
                value >= 0 && Int(value) < vocabulary.count ? vocabulary[Int(value)] : "unknown"
            }
            for e in exercise { exercises[label(e, index.exercises), default: 0] += 1 }
            for q in quality { qualities[label(q, index.qualities), default: 0] += 1 }
            splits.append(Split(name: name, index: index, exercises: exercises, qualities: qualities))
        }
        return ShardStats(splits: splits)
    }

    /// Plain-text tables.
    public var text: String {
        var parts: [String] = []
        parts.append(Format.table(header: ["split", "windows", "shards", "sequences", "window", "stride", "coords"], rows: splits.map {
            [$0.name, Format.count(Int64($0.index.windows)), "\($0.index.shards.count)",
             $0.index.source == "catalog" ? "catalog" : "\($0.index.sequences.count)", "\($0.index.window)", "\($0.index.stride)",
             $0.index.coords]
        }))
        func crossTable(_ title: String, _ names: [String], _ values: (Split) -> [String: Int]) -> String {
            let all = names + ["unknown"]
            let rows = all.compactMap { name -> [String]? in
                let counts = splits.map { values($0)[name] ?? 0 }
                return counts.allSatisfy { $0 == 0 } ? nil : [name] + counts.map { Format.count(Int64($0)) }
            }
            return Format.table(header: [title] + splits.map(\.name), rows: rows)
        }
        let first = splits[0].index
        parts.append(crossTable("exercise", first.exercises) { $0.exercises })
        parts.append(crossTable("quality", first.qualities) { $0.qualities })
        let sources = ["truth", "computed", "missing"]
        parts.append(Format.table(header: ["label", "source"] + splits.map(\.name), rows: first.heads.flatMap { head in
            sources.map { source in [head, source] + splits.map { Format.count(Int64($0.index.labelSources[head]?[source] ?? 0)) } }
        }))
        let reasons = Set(splits.flatMap { $0.index.dropped.keys }).sorted()
        parts.append(reasons.isEmpty ? "dropped: none" : Format.table(header: ["dropped"] + splits.map(\.name), rows: reasons.map { reason in
            [reason] + splits.map { Format.count(Int64($0.index.dropped[reason] ?? 0)) }
        }))
        return parts.joined(separator: "\n\n")
    }
}
