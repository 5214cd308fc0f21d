import BiomechCore
import Datasets
import Foundation
import Testing

/// The `youtube.sources` section: validation, the filters, and the order and limits of the picks.
@Suite struct YouTubeSourceTests {
    static func manifest(_ youtube: String) -> String {
        """
        name: demo
        title: Demo
        homepage: https://example.org
        license: unknown
        commercial_use: false
        access: youtube
        youtube:
        \(youtube)
        """
    }

    func error(_ youtube: String) -> ConfigurationError? {
        do { _ = try ManifestLoader.parse(Self.manifest(youtube), file: "/m/demo.yaml"); return nil } catch {
            return error as? ConfigurationError
        }
    }

    @Test func aValidSectionLoads() throws {
        let m = try ManifestLoader.parse(Self.manifest("""
          sources:
            - {url: "https://www.youtube.com/@coach/videos", exercise: squat, include: ["squat"], exclude: ["#shorts"]}
          per_exercise: 50
          after: 2019-01-01
          before: 2025-12-31
          min_seconds: 20
          max_seconds: 900
        """), file: "/m/demo.yaml")
        #expect(m.youtube?.sources.first?.exercise == "squat")
        #expect(m.youtube?.perExercise == 50 && m.youtube?.lists.isEmpty == true)
    }

    /// The example in docs/MANIFEST.md is a manifest that loads.
    @Test func documentedExampleLoads() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/MANIFEST.md").standardized
        let text = try String(contentsOf: doc, encoding: .utf8)
        let start = try #require(text.range(of: "# An instructional collection"))
        let block = text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            .prefix { !$0.hasPrefix("```") }.joined(separator: "\n")
        let yaml = Self.manifest("").replacingOccurrences(of: "youtube:\n", with: "") + block
        let m = try ManifestLoader.parse(yaml, file: "/m/demo.yaml")
        #expect(m.youtube?.sources.count == 2 && m.youtube?.perExercise == 200 && m.labels?.exercise.count == 1)
    }

    @Test(arguments: [
        ("  per_exercise: 3", "youtube", "expected 'lists'"),
        ("  lists: [files/a.csv]", "youtube", "needs 'id_column'"),
        ("  sources: [{url: 'ftp://x/y'}]", "youtube.sources[0].url", "http(s) playlist or channel URL"),
        ("  sources: [{url: 'https://y.com/p', exercise: 'Back Squat'}]", "youtube.sources[0].exercise", "lowercase"),
        ("  sources: [{url: 'https://y.com/p', include: ['(']}]", "youtube.sources[0].include[0]", "not a valid regular expression"),
        ("  sources: [{url: 'https://y.com/p'}]\n  after: 2024-02-30", "youtube.after", "YYYY-MM-DD"),
        ("  sources: [{url: 'https://y.com/p'}]\n  after: 2024-02-01\n  before: 2023-01-01", "youtube.before", "earlier than 'after'"),
        ("  sources: [{url: 'https://y.com/p'}]\n  min_seconds: 60\n  max_seconds: 30", "youtube.max_seconds", "below min_seconds"),
        ("  sources: [{url: 'https://y.com/p'}]\n  per_exercise: 0", "youtube.per_exercise", "at least 1"),
        ("  lists: [files/a.csv]\n  id_column: id\n  after: 2020-01-01", "youtube", "this section has none"),
        ("  sources: [{url: 'https://y.com/p', includes: ['a']}]", "youtube.sources[0].includes", "unknown key"),
    ])
    func badSectionsNameTheKey(_ youtube: String, _ key: String, _ message: String) {
        let e = error(youtube)
        #expect(e?.key == key, "\(e.map { "\($0)" } ?? "no error")")
        #expect(e?.message.contains(message) == true, "\(e.map { "\($0)" } ?? "no error")")
        #expect(e?.line != nil)
    }

    @Test func filterJudgesTitlesDatesAndLengths() {
        var list = YouTubeList(sources: [])
        list.after = "2020-01-01"; list.before = "2024-12-31"; list.minSeconds = 30; list.maxSeconds = 600
        let filter = YouTubeFilter(list: list, source: YouTubeSource(url: "u", include: ["squat", "^deep"], exclude: ["#shorts"]))
        #expect(filter.rejection(title: "Perfect SQUAT", uploadDate: "20220101", duration: 60) == nil, "patterns ignore case")
        #expect(filter.rejection(title: "deep dive", uploadDate: nil, duration: nil) == nil, "unknown date and length pass until known")
        #expect(filter.rejection(title: "Bench", uploadDate: nil, duration: nil) == "title matches no include pattern")
        #expect(filter.rejection(title: "squat #SHORTS", uploadDate: nil, duration: nil) == "title matches exclude pattern '#shorts'")
        #expect(filter.rejection(title: "squat", uploadDate: "20191231", duration: 60) == "uploaded 2019-12-31, before 2020-01-01")
        #expect(filter.rejection(title: "squat", uploadDate: "20241231", duration: 60) == nil, "bounds are inclusive")
        #expect(filter.rejection(title: "squat", uploadDate: "20250101", duration: 60) == "uploaded 2025-01-01, after 2024-12-31")
        #expect(filter.rejection(title: "squat", uploadDate: nil, duration: 29.5) == "29 s long, shorter than 30 s")
        #expect(filter.rejection(title: "squat", uploadDate: nil, duration: 601) == "601 s long, longer than 600 s")
        #expect(YouTubeFilter.day("2024-02-29") == "20240229" && YouTubeFilter.day("2023-02-29") == nil && YouTubeFilter.day("2024-1-01") == nil)
        #expect(YouTubeInfo(id: "x", uploadDate: nil).day == nil)
        var approximate = YouTubeInfo(id: "x")
        approximate.timestamp = 1_700_000_000   // 2023-11-14 UTC
        #expect(approximate.day == "20231114")
    }

    @Test func picksInListingOrderWithinEachExercisesLimit() {
        var list = YouTubeList(sources: [YouTubeSource(url: "a", exercise: "squat"), YouTubeSource(url: "b", exercise: "lunge"),
                                         YouTubeSource(url: "c", exercise: "squat")])
        list.perExercise = 2
        let entries = { (ids: [String]) in ids.map { YouTubeInfo(id: $0, title: $0) } }
        let listings: [SourceSelection.Listing] = [(list.sources[0], entries(["sq0001", "sq0002", "sq0003"])),
                                                   (list.sources[1], entries(["lu0001", "sq0001"])),
                                                   (list.sources[2], entries(["sq0004"]))]
        let first = SourceSelection.next(listings, list: list, kept: [:], decided: [])
        #expect(first.map(\.info.id) == ["sq0001", "sq0002", "lu0001"])
        #expect(first.map(\.source) == ["a", "a", "b"])
        // One squat kept, one tried and lost: the next squat in order fills the room left.
        let second = SourceSelection.next(listings, list: list, kept: ["squat": 1, "lunge": 1], decided: ["sq0001", "sq0002", "lu0001"])
        #expect(second.map(\.info.id) == ["sq0003"])
        #expect(SourceSelection.next(listings, list: list, kept: ["squat": 2, "lunge": 1], decided: ["sq0001", "sq0002", "sq0003", "lu0001"]).isEmpty)
        list.perExercise = nil
        #expect(SourceSelection.next(listings, list: list, kept: [:], decided: []).count == 5, "no limit: every distinct video")
        #expect(SourceSelection.passing(listings, list: list) == (listed: 5, passing: 5))
    }

    @Test func listingsFlattenNestedTabsAndSkipEntriesWithoutIDs() throws {
        let json = #"""
        {"_type": "playlist", "id": "UC1", "entries": [
          {"_type": "url", "id": "aaaaaaaaaaa", "title": "One", "duration": 61.5},
          {"_type": "playlist", "id": "UC1-shorts", "entries": [{"_type": "url", "id": "bbbbbbbbbbb", "title": "Two"}]},
          {"_type": "url", "title": "no id"},
          {"_type": "url", "id": "bad id!", "title": "Three"}
        ]}
        """#
        let entries = try YouTubeInfo.entries(ofListing: Data(json.utf8), source: "https://y.com/c")
        #expect(entries.map(\.id) == ["aaaaaaaaaaa", "bbbbbbbbbbb"])
        #expect(entries.first?.duration == 61.5)
        #expect(throws: YouTubeInfo.InfoError.self) { try YouTubeInfo.entries(ofListing: Data(#"{"id": "x"}"#.utf8), source: "u") }
    }
}
