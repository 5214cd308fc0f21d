import BiomechCore
import Crypto
import Foundation

/// Deterministic, group-aware train/val/test assignment.
///
/// A group's split depends only on its key (SHA-256 of the key as a fraction of 2^64 against
/// the cumulative ratios), so adding videos never moves existing ones, and every video of a group
/// lands in the same split. Groups linked by duplicates are merged first (`assign`).
public struct SplitPolicy: Equatable, Sendable {
    public var train: Double, val: Double, test: Double

    public init(train: Double = 80, val: Double = 10, test: Double = 10) {
        let total = train + val + test
        self.train = train / total; self.val = val / total; self.test = test / total
    }

    /// Parses `80/10/10` (any positive scale); nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/").map { Double($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], a >= 0, b >= 0, c >= 0, a + b + c > 0 else { return nil }
        self.init(train: a, val: b, test: c)
    }

    /// Stored in the catalog's settings so a change re-splits everything.
    public var text: String { String(format: "%.4f/%.4f/%.4f", train, val, test) }

    public func split(forGroup key: String) -> String {
        let digest = Array(SHA256.hash(data: Data("biomech-split-v1:\(key)".utf8)))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let fraction = Double(value) / 18_446_744_073_709_551_616.0
        if fraction < train { return "train" }
        return fraction < train + val ? "val" : "test"
    }

    /// One catalogued video as the split pass sees it.
    public struct Member: Sendable {
        public var id: Int64, dataset: String, path: String, sha256: String, group: String
        public init(id: Int64, dataset: String, path: String, sha256: String, group: String) {
            self.id = id; self.dataset = dataset; self.path = path; self.sha256 = sha256; self.group = group
        }
    }

    /// Splits and duplicate links for every video: copies with one sha256 point at the first by
    /// (dataset, path), and their groups are merged (the smallest key of a merged set decides).
    public func assign(_ members: [Member]) -> [Int64: (split: String, duplicateOf: Int64?)] {
        var parent: [String: String] = [:]
        func root(_ g: String) -> String {
            var g = g
            while let p = parent[g], p != g { g = p }
            return g
        }
        func union(_ a: String, _ b: String) {
            let ra = root(a), rb = root(b)
            if ra != rb { if ra < rb { parent[rb] = ra } else { parent[ra] = rb } }
        }
        var canonical: [String: Member] = [:]
        for m in members.sorted(by: { ($0.dataset, $0.path) < ($1.dataset, $1.path) }) {
            if parent[m.group] == nil { parent[m.group] = m.group }
            if let first = canonical[m.sha256] { union(first.group, m.group) } else { canonical[m.sha256] = m }
        }
        var out: [Int64: (String, Int64?)] = [:]
        var splits: [String: String] = [:]
        for m in members {
            let r = root(m.group)
            let split = splits[r] ?? split(forGroup: r)
            splits[r] = split
            let first = canonical[m.sha256]!
            out[m.id] = (split, first.id == m.id ? nil : first.id)
        }
        return out
    }
}
