@testable import CatalogScan
@testable import CatalogStore
import CatalogReport
import Datasets
import Database
import Foundation
import Testing
import TestSupport

/// Splits: groups never span two splits, duplicates follow their original, and adding videos moves nothing.
@Suite struct CatalogSplitTests {
    static func groupsInTwoSplits(_ f: CatalogFixture) throws -> [[SQLValue]] {
        try f.query("SELECT group_key FROM videos GROUP BY group_key HAVING COUNT(DISTINCT split) > 1")
    }

    @Test func groupsStayTogetherAndAddedVideosMoveNothing() throws {
        let f = try CatalogFixture()
        try f.manifest("groups", labels: CatalogScanTests.labels)
        var variant = 0
        for subject in 0..<12 { for take in 0..<3 { variant += 1; try f.video("groups", "squat/subject\(subject)/take\(take).mp4", variant: variant) } }
        try f.scan()
        #expect(try Self.groupsInTwoSplits(f).isEmpty)
        let before = Dictionary(uniqueKeysWithValues: try f.query("SELECT path, split FROM videos").map { ($0[0].string!, $0[1].string!) })
        #expect(Set(before.values).count > 1, "36 videos in 12 groups should not all land in one split")
        // New subjects, and new takes of existing subjects.
        for subject in 8..<20 { variant += 1; try f.video("groups", "squat/subject\(subject)/take9.mp4", variant: variant) }
        try f.scan()
        #expect(try Self.groupsInTwoSplits(f).isEmpty)
        let after = Dictionary(uniqueKeysWithValues: try f.query("SELECT path, split FROM videos").map { ($0[0].string!, $0[1].string!) })
        for (path, split) in before { #expect(after[path] == split, "\(path) moved from \(split) to \(after[path] ?? "nowhere")") }
    }

    @Test func exactDuplicatesLinkToTheFirstCopyAndShareItsSplit() throws {
        let f = try CatalogFixture()
        try f.manifest("a", labels: CatalogScanTests.labels)
        try f.manifest("b", labels: CatalogScanTests.labels)
        var variant = 0
        for subject in 0..<10 { variant += 1; try f.video("a", "squat/subject\(subject)/x.mp4", variant: variant) }
        // Dataset b holds a byte-identical copy of a's subject 3 video under its own subject 7.
        let original = f.files("a").appendingPathComponent("squat/subject3/x.mp4")
        let copy = f.files("b").appendingPathComponent("squat/subject7/copy.mp4")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: original, to: copy)
        variant += 1
        try f.video("b", "squat/subject7/other.mp4", variant: variant)
        try f.scan()
        let rows = try f.query("""
            SELECT v.split, c.split, c.dataset || '/' || c.path FROM videos v JOIN videos c ON c.id = v.duplicate_of
            """)
        #expect(rows == [[rows.first?[1] ?? .null, rows.first?[1] ?? .null, .text("a/squat/subject3/x.mp4")]])
        #expect(try Self.groupsInTwoSplits(f).isEmpty, "b:subject7 follows a:subject3's split")
        #expect(try f.query("SELECT COUNT(*) FROM exercise_quality WHERE exercise = 'squat'").first?[0].int == 1)
        #expect(try f.query("SELECT SUM(videos) FROM exercise_quality") == [[.integer(11)]], "the duplicate is not counted twice")
    }

    @Test func theSameSourceInTwoDatasetsIsLinkedAndSplitTogether() throws {
        let f = try CatalogFixture()
        let labels = """
            labels:
              group:
                - regex: "^youtube/(?<key>[A-Za-z0-9_-]{11})_(?<clip>[0-9.]+_[0-9.]+)\\\\."
                  scope: youtube
            """
        try f.manifest("first", labels: labels)
        try f.manifest("second", labels: labels)
        // Different bytes (re-encoded or re-muxed), same YouTube clip; and another clip of the same video.
        try f.video("first", "youtube/abcdefghijk_10_20.mp4", variant: 1)
        try f.video("second", "youtube/abcdefghijk_10_20.mp4", variant: 2)
        try f.video("second", "youtube/abcdefghijk_30_40.mp4", variant: 3)
        for i in 0..<8 { try f.video("second", "youtube/other\(i)xxxxx_0_5.mp4", variant: 10 + i) }
        try f.scan()
        let rows = try f.query("SELECT dataset, path, group_key, source_key, split, duplicate_of FROM videos WHERE path LIKE 'youtube/abcdefghijk%' ORDER BY dataset, path")
        #expect(rows.map { $0[2] } == Array(repeating: .text("youtube:abcdefghijk"), count: 3))
        #expect(rows.map { $0[3] } == [.text("youtube:abcdefghijk:10_20"), .text("youtube:abcdefghijk:10_20"), .text("youtube:abcdefghijk:30_40")])
        #expect(Set(rows.map { $0[4] }).count == 1, "one source video, one split")
        let first = try f.query("SELECT id FROM videos WHERE dataset = 'first'").first?[0]
        #expect(rows.map { $0[5] } == [.null, first ?? .null, .null], "only the same clip is a duplicate")
        #expect(try Self.groupsInTwoSplits(f).isEmpty)
    }

    @Test func otherRatiosResplitEveryVideo() throws {
        let f = try CatalogFixture()
        try f.manifest("r", labels: CatalogScanTests.labels)
        for subject in 0..<6 { try f.video("r", "squat/subject\(subject)/x.mp4", variant: subject) }
        try f.scan(split: SplitPolicy(train: 0, val: 0, test: 1))
        #expect(try f.query("SELECT DISTINCT split FROM videos") == [[.text("test")]])
        try f.scan(split: SplitPolicy(train: 1, val: 0, test: 0))
        #expect(try f.query("SELECT DISTINCT split FROM videos") == [[.text("train")]])
        #expect(try f.query("SELECT value FROM settings WHERE key = 'split_ratios'") == [[.text("1.0000/0.0000/0.0000")]])
    }

    /// Found while writing the option fuzzer: these parsed, then divided into NaN or all-zero ratios.
    @Test(arguments: ["inf/0/0", "1e308/1e308/1e308", "nan/1/1", "0/0/0", "80/10", "80/10/10/0", "a/b/c", "-1/1/1"])
    func ratiosThatCannotSplitAreRefused(text: String) {
        #expect(SplitPolicy(text) == nil)
    }

    @Test func splitOfAGroupDependsOnlyOnItsKey() {
        let policy = SplitPolicy()
        let counts = (0..<10_000).reduce(into: [Split: Int]()) { $0[policy.split(forGroup: "d:subject\($1)"), default: 0] += 1 }
        #expect(policy.split(forGroup: "youtube:abc") == SplitPolicy(train: 8, val: 1, test: 1).split(forGroup: "youtube:abc"))
        #expect(abs(Double(counts[.train]!) / 10_000 - 0.8) < 0.02 && abs(Double(counts[.val]!) / 10_000 - 0.1) < 0.02)
    }
}
