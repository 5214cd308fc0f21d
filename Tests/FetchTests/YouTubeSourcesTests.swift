import BiomechCore
import CatalogScan
import Database
import Datasets
import Foundation
import Testing
import TestSupport

/// Playlist and channel sources through a fake `yt-dlp`: listing, filters, the per-exercise limit,
/// and the info JSON's metadata all the way into the catalog's `youtube_videos`.
@Suite struct YouTubeSourcesTests {
    static let channel = "https://www.youtube.com/@coach/videos"
    static let playlist = "https://www.youtube.com/playlist?list=PLlunges"

    let work: TemporaryFolder
    let ytdlp: FakeYtDlp

    init() throws {
        work = try TemporaryFolder()
        let video = try VideoFixtures.make(.h264MP4, in: work("fixtures"), name: "clip.mp4")
        ytdlp = try FakeYtDlp(in: work, video: video)
        try ManifestFixture.write(in: work, name: "coaching", access: "youtube", body: """
        youtube:
          sources:
            - url: \(Self.channel)
              exercise: squat
              include: ["squat"]
              exclude: ["#shorts", "reaction"]
            - url: \(Self.playlist)
              exercise: lunge
          per_exercise: 2
          after: 2020-01-01
          min_seconds: 30
          max_seconds: 600
        labels:
          exercise:
            - regex: "^youtube/(?<label>[a-z_]+)/"
        """)
        // Flat entries as yt-dlp gives them: no upload_date or licence; `timestamp` only approximate, when given.
        try ytdlp.list(Self.channel, entries: [
            Self.entry("sq000000001", "Perfect SQUAT form", 300),
            Self.entry("sq000000002", "Squat challenge #shorts", 45),       // excluded by title
            Self.entry("bp000000003", "Bench press tips", 300),             // matches no include pattern
            Self.entry("sq000000004", "Goblet squat in 20 seconds", 20),    // too short
            Self.entry("sq000000005", "My first squat video", 200),         // uploaded in 2015: known after download
            Self.entry("sq000000006", "Squat depth explained", 250),
            Self.entry("sq000000007", "Squat mistakes", 280),               // beyond per_exercise
            ["_type": "url", "id": "PLnested", "entries": [Self.entry("sq000000008", "Squat from a nested tab", 100)]],
        ])
        try ytdlp.list(Self.playlist, entries: [
            Self.entry("sq000000001", "Perfect SQUAT form", 300),           // listed by the channel first
            Self.entry("gone0000009", "Walking lunges", 120),               // removed from YouTube
            Self.entry("lu000000010", "Reverse lunge", 90),
        ])
        try ytdlp.info("sq000000001", ["title": "Perfect SQUAT form", "uploader": "Coach A", "uploader_id": "@coach", "channel_id": "UC111",
                                       "license": "Creative Commons Attribution license (reuse allowed)", "upload_date": "20210315",
                                       "duration": 300, "webpage_url": "https://www.youtube.com/watch?v=sq000000001"])
        try ytdlp.info("sq000000005", ["title": "My first squat video", "uploader": "Coach A", "upload_date": "20150101", "duration": 200])
        try ytdlp.info("sq000000006", ["title": "Squat depth explained", "uploader": "Coach A", "upload_date": "20230601", "duration": 250])
        try ytdlp.info("sq000000007", ["title": "Squat mistakes", "uploader": "Coach A", "upload_date": "20250101", "duration": 280])
        try ytdlp.info("lu000000010", ["title": "Reverse lunge", "uploader": "Lunge Lab", "upload_date": "20240101", "duration": 90])
    }

    static func entry(_ id: String, _ title: String, _ duration: Double) -> [String: Any] {
        ["_type": "url", "ie_key": "Youtube", "id": id, "url": "https://www.youtube.com/watch?v=\(id)", "title": title, "duration": duration]
    }

    func fetch(_ extra: [String] = []) throws -> Tools.Result {
        try Tools.run(Tools.product("biomech-fetch"),
                      ["--manifests", work("manifests").path, "--out", work("out").path, "--retry-delay", "0.01", "--retries", "1"] + extra,
                      environment: ["PATH": ytdlp.bin.path + ":/usr/bin:/bin"])
    }

    var downloads: [String] { ytdlp.calls.filter { !$0.contains("--flat-playlist") }.compactMap { $0.split(separator: "=").last.map(String.init) } }

    @Test func listsFiltersLimitsAndKeepsTheMetadata() throws {
        let result = try fetch()
        #expect(result.status == 0, "\(result.all)")
        let files = work("out/coaching/files/youtube")
        for kept in ["squat/sq000000001", "squat/sq000000006", "lunge/lu000000010"] {
            #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("\(kept).mp4").path), "\(kept) kept")
            #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("\(kept).info.json").path), "\(kept) has its info JSON")
        }
        #expect(!FileManager.default.fileExists(atPath: files.appendingPathComponent("squat/sq000000005.mp4").path), "2015 is before 'after'")
        #expect(!FileManager.default.fileExists(atPath: files.appendingPathComponent("squat/sq000000005.info.json").path))
        // Title and length filters act on the listing, so those videos are never downloaded; the limit stops at two squats.
        #expect(Set(downloads) == ["sq000000001", "sq000000005", "sq000000006", "gone0000009", "lu000000010"], "\(downloads)")
        #expect(downloads.filter { $0 == "sq000000001" }.count == 1, "a video listed twice is fetched once")
        #expect(ytdlp.calls.filter { $0.contains("--flat-playlist") }.allSatisfy { $0.contains("youtubetab:approximate_date") })

        let receipt = try JSONDecoder().decode(Receipt.self, from: Data(contentsOf: work("out/coaching/FETCHED.json")))
        let states = Dictionary(uniqueKeysWithValues: receipt.clips.map { ($0.id, $0.state) })
        #expect(states == ["sq000000001": .downloaded, "sq000000005": .filtered, "sq000000006": .downloaded,
                           "gone0000009": .unavailable, "lu000000010": .downloaded])
        #expect(receipt.clips.first { $0.id == "sq000000005" }?.message == "uploaded 2015-01-01, before 2020-01-01")
        #expect(receipt.clips.first { $0.id == "lu000000010" }?.source == Self.playlist)
        #expect(result.stdout.contains("2 sources: 10 videos listed, 7 pass the filters, 3 kept, 1 outside the dates or lengths"), "\(result.stdout)")

        // Into the catalog: every kept clip with its metadata, queryable by licence and uploader.
        let database = work("catalog.sqlite").path
        let options = CatalogScanner.Options(data: work("out"), manifests: work("manifests"), database: database, jobs: 2)
        _ = try CatalogScanner(options: options, console: Console(isTerminal: false)).run()
        let db = try Database(path: database, mode: .readOnly)
        let rows = try db.query("""
            SELECT y.youtube_id, v.exercise, y.uploader, y.license, y.upload_date, y.duration_s, y.source, y.info_file
            FROM youtube_videos y JOIN videos v ON v.id = y.video_id ORDER BY y.youtube_id
            """).rows
        #expect(rows.map { $0[0] } == [.text("lu000000010"), .text("sq000000001"), .text("sq000000006")])
        #expect(rows.map { $0[1] } == [.text("lunge"), .text("squat"), .text("squat")])
        #expect(rows[1] == [.text("sq000000001"), .text("squat"), .text("Coach A"), .text("Creative Commons Attribution license (reuse allowed)"),
                            .text("2021-03-15"), .real(300), .text(Self.channel), .text("youtube/squat/sq000000001.info.json")])
        // A broken info file is named in a warning; its clip stays catalogued, without metadata.
        try "{not json".write(to: files.appendingPathComponent("squat/sq000000006.info.json"), atomically: true, encoding: .utf8)
        let rescan = try CatalogScanner(options: options, console: Console(isTerminal: false)).run()
        #expect(rescan.warnings.contains { $0.contains("squat/sq000000006.info.json") && $0.contains("without its YouTube metadata") }, "\(rescan.warnings)")
        #expect(try db.query("SELECT COUNT(*) FROM youtube_videos").rows == [[.integer(2)]])
        #expect(try db.query("SELECT COUNT(*) FROM videos WHERE path LIKE 'youtube/%'").rows == [[.integer(3)]])
        let licences = try db.query("SELECT license, uploader, videos FROM youtube_licenses ORDER BY uploader, license").rows
        #expect(licences == [[.text("Creative Commons Attribution license (reuse allowed)"), .text("Coach A"), .integer(1)],
                             [.text("standard YouTube licence (none shown)"), .text("Lunge Lab"), .integer(1)]])
    }

    @Test func aRerunListsAgainButFetchesNothingAndTopsUpALimitRaised() throws {
        _ = try fetch()
        let before = downloads.count
        let again = try fetch()
        #expect(again.status == 0, "\(again.all)")
        #expect(downloads.count == before, "kept, filtered and unavailable videos are not fetched again")
        #expect(ytdlp.calls.filter { $0.contains("--flat-playlist") }.count == 4, "each run lists both sources")

        // A raised limit fetches the next squat in listing order; the filtered one is judged again (the manifest changed).
        let manifest = work("manifests/coaching.yaml")
        try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "per_exercise: 2", with: "per_exercise: 3")
            .write(to: manifest, atomically: true, encoding: .utf8)
        let raised = try fetch()
        #expect(raised.status == 0, "\(raised.all)")
        #expect(Array(downloads.dropFirst(before)) == ["sq000000005", "sq000000007"], "\(downloads)")
        #expect(FileManager.default.fileExists(atPath: work("out/coaching/files/youtube/squat/sq000000007.mp4").path))
    }

    @Test func aFailedListingFallsBackToTheLastOne() throws {
        _ = try fetch()
        #expect(FileManager.default.fileExists(atPath: work("out/coaching/youtube-sources.json").path))
        try FileManager.default.removeItem(at: work("listings"))   // the channel "disappears"
        let offline = try fetch()
        #expect(offline.status == 0, "\(offline.all)")
        #expect(offline.stderr.contains("using the listing of an earlier run"), "\(offline.stderr)")

        // A source never listed fails the dataset and says so, keeping what the others gave.
        try FileManager.default.removeItem(at: work("out/coaching/youtube-sources.json"))
        let failed = try fetch()
        #expect(failed.status == 1, "\(failed.all)")
        #expect(failed.stderr.contains("cannot list \(Self.channel)") && failed.stderr.contains("This channel does not exist"), "\(failed.stderr)")
        #expect(FileManager.default.fileExists(atPath: work("out/coaching/files/youtube/squat/sq000000001.mp4").path))
    }

    @Test func dryRunSaysWhatWouldBeListed() throws {
        let result = try fetch(["--dry-run"])
        #expect(result.status == 0, "\(result.all)")
        #expect(result.all.contains("would list \(Self.channel) with yt-dlp (as squat, titles matching squat, not #shorts or reaction)"), "\(result.all)")
        #expect(result.all.contains("at most 2 per exercise, uploaded from 2020-01-01, at least 30 s, at most 600 s"), "\(result.all)")
        #expect(ytdlp.calls.isEmpty, "a dry run starts no yt-dlp")
    }
}
