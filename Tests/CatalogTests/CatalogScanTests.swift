import BiomechCore
@testable import CatalogScan
@testable import CatalogStore
import CatalogReport
import Datasets
import Database
import Foundation
import Testing
import TestSupport
import Video

/// Scans of real videos into a real SQLite catalog: probing, problems, labels, incremental re-scans.
@Suite struct CatalogScanTests {
    static let labels = """
        labels:
          exercise:
            - regex: "^(?<label>[^/]+)/"
          quality:
            - tokens: true
          group:
            - regex: "(?<key>subject\\\\d+)"
        """

    @Test func everyKindOfFileGetsARowAndProblemsAreListed() throws {
        let f = try CatalogFixture()
        try f.manifest("kinds", labels: Self.labels)
        let folder = f.files("kinds").appendingPathComponent("squat")
        var made: [VideoFixtures.Kind: URL] = [:]
        // Every kind under a video extension: audio-only files too, so that "no video stream" is exercised.
        for kind in VideoFixtures.Kind.allCases {
            let ext = CatalogScanner.videoExtensions.contains(kind.fileExtension) ? kind.fileExtension : "mp4"
            made[kind] = try VideoFixtures.make(kind, in: folder, name: "\(kind.rawValue).\(ext)")
        }
        try f.folder.write("data/raw/kinds/files/squat/notes.csv", "not,a,video\n")
        try f.folder.write("data/raw/kinds/files/squat/song.wav", "RIFF....")
        let summary = try f.scan()
        #expect(summary.files == made.count, "the CSV is not a video file and is skipped")
        #expect(summary.probeErrors == VideoFixtures.Kind.failures.count)
        #expect(summary.warnings.contains { $0.contains("FETCHED.json") && $0.contains("no fetch receipt") })
        for (kind, url) in made {
            let row = try f.query("SELECT frame_count, width, codec, probe_error, exercise FROM videos WHERE path = 'squat/\(url.lastPathComponent)'")
            #expect(row.count == 1, "\(kind) has one row")
            #expect(row.first?[4] == .text("squat"))
            if kind.opens {
                let info = try VideoProbe.probe(path: url.path)
                #expect(row.first?[0] == SQLValue(info.frameCount) && row.first?[1] == SQLValue(info.width) && row.first?[2] == SQLValue(info.codec))
                #expect(row.first?[3] == .null)
            } else {
                #expect(row.first?[3].string?.isEmpty == false, "\(kind) records why it failed")
            }
        }
        let problems = try f.query("SELECT problem, COUNT(*) FROM problems GROUP BY problem ORDER BY problem")
        #expect(problems.contains([.text("probe_error"), SQLValue(VideoFixtures.Kind.failures.count)]))
        #expect(problems.contains([.text("no_receipt"), SQLValue(1)]))
        let integrity = try f.query("PRAGMA integrity_check")
        #expect(integrity == [[.text("ok")]])
    }

    @Test func labelsRecordTheirSourceAndUnmatchedVideosStayUnlabeled() throws {
        let f = try CatalogFixture()
        try f.manifest("mixed", labels: Self.labels + """

              annotations:
                - format: countix_csv
                  files: ["countix/*.csv"]
            """)
        try f.video("mixed", "Push-Ups/subject1_good_take.mp4", variant: 1)
        try f.video("mixed", "BackSquat/subject2_fair_poor.mp4", variant: 2)
        try f.video("mixed", "juggling/subject3.mp4", variant: 3)
        try f.video("mixed", "youtube/abcdefghijk_10_20.mp4", variant: 4)
        try f.video("mixed", "loose.mp4", variant: 5)
        try f.folder.write("data/raw/mixed/files/countix/countix_train.csv", """
            video_id,class,kinetics_start,kinetics_end,repetition_start,repetition_end,count
            abcdefghijk,lunge,10,20,12.5,18,6
            notcatalogd,squat,0,10,1,9,4
            """)
        try f.scan()
        let rows = try f.query("SELECT path, exercise, exercise_source, quality, quality_source, group_key FROM videos ORDER BY path")
        func row(_ path: String) -> [SQLValue]? { rows.first { $0[0] == .text(path) } }
        #expect(row("Push-Ups/subject1_good_take.mp4") == [.text("Push-Ups/subject1_good_take.mp4"), .text("pushup"), .text("path_rule"),
                                                           .text("good"), .text("filename_rule"), .text("mixed:subject1")])
        #expect(row("BackSquat/subject2_fair_poor.mp4")?[1] == .text("squat"))
        #expect(row("BackSquat/subject2_fair_poor.mp4")?[3] == .null, "two quality words: nothing is guessed")
        #expect(row("juggling/subject3.mp4")?[1] == .null, "not in the vocabulary: unlabeled")
        #expect(row("loose.mp4")?[1] == .null)
        #expect(row("youtube/abcdefghijk_10_20.mp4")?[1] == .text("lunge") && row("youtube/abcdefghijk_10_20.mp4")?[2] == .text("annotation"))
        let facts = try f.query("SELECT kind, value, number, start_s, end_s, source_file, source_line FROM annotations ORDER BY kind")
        #expect(facts == [
            [.text("class"), .text("lunge"), .null, .null, .null, .text("countix/countix_train.csv"), .integer(2)],
            [.text("repetition_count"), .null, .real(6), .null, .null, .text("countix/countix_train.csv"), .integer(2)],
            [.text("repetition_span"), .null, .null, .real(2.5), .real(8), .text("countix/countix_train.csv"), .integer(2)],
        ])
        let unlabeled = try f.query("SELECT path FROM problems WHERE problem = 'no_exercise' ORDER BY path").map { $0[0] }
        #expect(unlabeled == [.text("juggling/subject3.mp4"), .text("loose.mp4")])
        // A label set by hand survives re-scans.
        try Database(path: f.database).executeScript("UPDATE videos SET exercise = 'situp', exercise_source = 'manual' WHERE path = 'loose.mp4'")
        try f.scan()
        #expect(try f.query("SELECT exercise, exercise_source FROM videos WHERE path = 'loose.mp4'") == [[.text("situp"), .text("manual")]])
    }

    @Test func rescansProbeOnlyWhatChanged() throws {
        let f = try CatalogFixture()
        try f.manifest("inc", labels: Self.labels)
        for i in 0..<5 { try f.video("inc", "squat/subject\(i).mp4", variant: i) }
        #expect(try f.scan().probed == 5)
        let again = try f.scan()
        #expect(again.probed == 0 && again.unchanged == 5)
        try f.video("inc", "squat/subject1.mp4", variant: 99)   // rewritten: new size or mtime
        try FileManager.default.removeItem(at: f.files("inc").appendingPathComponent("squat/subject2.mp4"))
        let third = try f.scan()
        #expect(third.probed == 1 && third.removed == 1 && third.unchanged == 3)
        #expect(try f.query("SELECT COUNT(*) FROM videos") == [[.integer(4)]])
    }

    @Test func aRuleThatDoesNotCompileIsAConfigurationError() throws {
        let f = try CatalogFixture()
        try f.manifest("bad", labels: """
            labels:
              exercise:
                - regex: "(unclosed"
                  value: squat
            """)
        let result = try f.cliScan()
        #expect(result.status == 2, "\(result.all)")
        #expect(result.stderr.contains("bad.yaml") && result.stderr.contains("labels.exercise[0].regex") && result.stderr.contains("regular expression"),
                "\(result.stderr)")
        try f.manifest("bad", labels: """
            labels:
              exercise:
                - glob: "**/*.mp4"
                  value: underwater_basket_weaving
            """)
        let second = try f.cliScan()
        #expect(second.status == 2 && second.stderr.contains("underwater_basket_weaving") && second.stderr.contains("vocabulary"), "\(second.stderr)")
    }

    @Test func receiptsGiveProvenanceAndBrokenOnesAWarning() throws {
        let f = try CatalogFixture()
        for name in ["done", "partial", "broken"] {
            try f.manifest(name, labels: "")
            try f.video(name, "squat/a.mp4", variant: name.count)
        }
        func receipt(_ state: String) -> String {
            """
            {"tool": "biomech-fetch", "version": "0.1.0", "dataset": "x", "access": "manual", "manifest_sha256": "00",
             "state": "\(state)", "updated_at": "2026-11-25T10:00:00Z", "files": [], "files_built_from": [], "clips": []}
            """
        }
        try f.folder.write("data/raw/done/FETCHED.json", receipt("complete"))
        try f.folder.write("data/raw/partial/FETCHED.json", receipt("partial"))
        try f.folder.write("data/raw/broken/FETCHED.json", "{ not json")
        let summary = try f.scan()
        #expect(summary.warnings.count == 1 && summary.warnings[0].contains("broken/FETCHED.json") && summary.warnings[0].contains("unreadable"),
                "\(summary.warnings)")
        let rows = try f.query("SELECT name, receipt_state, fetched_at, length(receipt_sha256) FROM datasets ORDER BY name")
        #expect(rows == [[.text("broken"), .null, .null, .null],
                         [.text("done"), .text("complete"), .text("2026-11-25T10:00:00Z"), .integer(64)],
                         [.text("partial"), .text("partial"), .text("2026-11-25T10:00:00Z"), .integer(64)]])
        let problems = try f.query("SELECT dataset, problem FROM problems WHERE path IS NULL ORDER BY dataset")
        #expect(problems == [[.text("broken"), .text("no_receipt")], [.text("partial"), .text("partial_fetch")]])
        #expect(try f.query("SELECT COUNT(*) FROM videos") == [[.integer(3)]], "videos are catalogued either way")
    }

    @Test func aCatalogFromANewerBiomechIsRefused() throws {
        let f = try CatalogFixture()
        try f.manifest("v", labels: "")
        try f.scan()
        try Database(path: f.database).executeScript("PRAGMA user_version = 99")
        #expect(throws: CatalogError.self) { try f.scan() }
        let result = try f.cli(["stats"])
        #expect(result.status == 1 && result.stderr.contains("version 99"), "\(result.all)")
    }
}
