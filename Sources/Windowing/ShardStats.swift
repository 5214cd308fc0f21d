import BiomechCore
import Foundation
import NumPy
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

    /// Reads `folder/{train,val,test}/index.json` and each shard's exercise and quality arrays.
    public static func read(_ folder: URL) throws -> ShardStats {
        var splits: [Split] = []
        for name in ["train", "val", "test"] {
            let split = folder.appendingPathComponent(name)
            let indexURL = split.appendingPathComponent(ShardIndex.fileName)
            guard FileManager.default.fileExists(atPath: indexURL.path) else { continue }
            let index: ShardIndex
            do { index = try JSONDecoder().decode(ShardIndex.self, from: Data(contentsOf: indexURL)) } catch {
                throw WindowError("\(indexURL.path): not a shard index (\(error))")
            }
            var exercises: [String: Int] = [:], qualities: [String: Int] = [:]
            for shard in index.shards {
                func names(_ array: ShardArray, _ vocabulary: [String]) throws -> [String] {
                    let values = try NPYFile.read(split.appendingPathComponent(array.fileName(shard.name)), as: Int32.self).values
                    return values.map { $0 >= 0 && Int($0) < vocabulary.count ? vocabulary[Int($0)] : "unknown" }
                }
                for e in try names(.exercise, index.exercises) { exercises[e, default: 0] += 1 }
                for q in try names(.quality, index.qualities) { qualities[q, default: 0] += 1 }
            }
            splits.append(Split(name: name, index: index, exercises: exercises, qualities: qualities))
        }
        guard !splits.isEmpty else {
            throw WindowError("\(folder.path): no train/, val/ or test/ with an index.json: not a shard folder (or its run did not finish)")
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
