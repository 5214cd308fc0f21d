import BiomechCore
import Crypto
import Foundation

/// One of the three splits every catalogued video and every window belongs to.
public enum Split: String, CaseIterable, Codable, Sendable {
    case train, val, test
}

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
        // Finite parts with a finite, positive sum: `inf/0/0` or `1e308/1e308/1e308` would divide into NaN or zeros.
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], a >= 0, b >= 0, c >= 0,
              (a + b + c).isFinite, a + b + c > 0 else { return nil }
        self.init(train: a, val: b, test: c)
    }

    /// Stored in the catalog's settings (`split_ratios`), so later scans keep these ratios unless told otherwise.
    public var text: String { String(format: "%.4f/%.4f/%.4f", train, val, test) }

    /// The split of a group: the same key gives the same split under the same ratios, on every machine.
    public func split(forGroup key: String) -> Split {
        let digest = Array(SHA256.hash(data: Data("biomech-split-v1:\(key)".utf8)))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let fraction = Double(value) / 18_446_744_073_709_551_616.0
        if fraction < train { return .train }
        return fraction < train + val ? .val : .test
    }

    /// One catalogued video as the split pass sees it.
    public struct Member: Sendable {
        public var id: Int64, dataset: String, path: String, sha256: String, group: String
        /// The same source seen elsewhere (e.g. one YouTube clip in two datasets), from the group rule.
        public var source: String?
        public init(id: Int64, dataset: String, path: String, sha256: String, group: String, source: String? = nil) {
            self.id = id; self.dataset = dataset; self.path = path; self.sha256 = sha256; self.group = group; self.source = source
        }
    }

    /// Splits and duplicate links for every video.
    ///
    /// Videos with one sha256 or one source key are copies of each other; each points at the first
    /// by (dataset, path). Copies tie their groups together, and a tied set of groups takes the
    /// split of its smallest key, so no copy and no group ever spans two splits.
    public func assign(_ members: [Member]) -> [Int64: (split: Split, duplicateOf: Int64?)] {
        let sorted = members.sorted { ($0.dataset, $0.path) < ($1.dataset, $1.path) }
        var copies = UnionFind<Int>(), groups = UnionFind<String>()
        var firstWithKey: [String: Int] = [:]
        for (i, m) in sorted.enumerated() {
            copies.add(i)
            groups.add(m.group)
            for key in ["sha256:" + m.sha256] + (m.source.map { ["source:" + $0] } ?? []) where !m.sha256.isEmpty || key.hasPrefix("source:") {
                if let first = firstWithKey[key] { copies.union(first, i) } else { firstWithKey[key] = i }
            }
        }
        // The canonical copy is the first of its set; sorted order makes that the smallest index.
        var canonical: [Int: Int] = [:]
        for i in sorted.indices {
            let root = copies.find(i)
            if let first = canonical[root] { groups.union(sorted[first].group, sorted[i].group) } else { canonical[root] = i }
        }
        var out: [Int64: (Split, Int64?)] = [:]
        var splits: [String: Split] = [:]
        for (i, m) in sorted.enumerated() {
            let root = groups.find(m.group)
            let split = splits[root] ?? split(forGroup: root)
            splits[root] = split
            let first = canonical[copies.find(i)]!
            out[m.id] = (split, first == i ? nil : sorted[first].id)
        }
        return out
    }
}

/// Disjoint sets whose representative is the smallest element (so results do not depend on order).
struct UnionFind<T: Hashable & Comparable> {
    private var parent: [T: T] = [:]

    mutating func add(_ x: T) { if parent[x] == nil { parent[x] = x } }

    mutating func find(_ x: T) -> T {
        var root = x
        while let p = parent[root], p != root { root = p }
        var node = x
        while let p = parent[node], p != root { parent[node] = root; node = p }
        return root
    }

    mutating func union(_ a: T, _ b: T) {
        let ra = find(a), rb = find(b)
        if ra < rb { parent[rb] = ra } else if rb < ra { parent[ra] = rb }
    }
}
