import BiomechCore
@testable import CatalogScan
@testable import CatalogStore
import Database
import Datasets
import Foundation
import Testing
import TestSupport

/// Regressions from the code review: annotations of later videos, sticky splits, odd rows, the walker.
@Suite struct CatalogReviewTests {
    static let countix = CatalogScanTests.labels + """

          annotations:
            - format: countix_csv
              files: ["countix/*.csv"]
        """

    func annotatedFixture() throws -> CatalogFixture {
        let f = try CatalogFixture()
        try f.manifest("cx", labels: Self.countix)
        try f.folder.write("data/raw/cx/files/countix/countix_train.csv", """
            video_id,class,kinetics_start,kinetics_end,repetition_start,repetition_end,count
            abcdefghijk,lunge,10,20,12.5,18,6
            bcdefghijkl,squat,0,10,1,9,4
            """)
        try f.video("cx", "youtube/abcdefghijk_10_20.mp4", variant: 1)
        return f
    }

    func annotatedPaths(_ f: CatalogFixture) throws -> [SQLValue] {
        try f.query("SELECT DISTINCT v.path FROM annotations a JOIN videos v ON v.id = a.video_id ORDER BY v.path").map { $0[0] }
    }

    /// Before the fix the fingerprint covered only the CSV files, so a clip fetched later never got its rows.
    @Test func aVideoAddedLaterGetsItsAnnotations() throws {
        let f = try annotatedFixture()
        try f.scan()
        #expect(try annotatedPaths(f) == [.text("youtube/abcdefghijk_10_20.mp4")])
        try f.video("cx", "youtube/bcdefghijkl_0_10.mp4", variant: 2)
        try f.scan()
        #expect(try annotatedPaths(f) == [.text("youtube/abcdefghijk_10_20.mp4"), .text("youtube/bcdefghijkl_0_10.mp4")])
    }

    /// A dataset removed (its rows cascade away) and restored unchanged must get its annotation rows back.
    @Test func aRestoredDatasetGetsItsAnnotationsBack() throws {
        let f = try annotatedFixture()
        try f.scan()
        let manifest = f.manifests.appendingPathComponent("cx.yaml"), aside = f.folder("cx.yaml.aside")
        try FileManager.default.moveItem(at: manifest, to: aside)
        try f.scan()
        #expect(try f.query("SELECT COUNT(*) FROM annotations") == [[.integer(0)]])
        try FileManager.default.moveItem(at: aside, to: manifest)
        try f.scan()
        #expect(try annotatedPaths(f) == [.text("youtube/abcdefghijk_10_20.mp4")])
    }

    /// Before the fix a scan without --split went back to 80/10/10 and moved videos between train and test.
    @Test func storedSplitRatiosWinUntilSplitIsGiven() throws {
        let f = try CatalogFixture()
        try f.manifest("s", labels: CatalogScanTests.labels)
        for i in 0..<6 { try f.video("s", "squat/subject\(i).mp4", variant: i) }
        try f.scan(split: SplitPolicy(train: 0, val: 0, test: 1))
        let summary = try f.scan()
        #expect(try f.query("SELECT DISTINCT split FROM videos") == [[.text("test")]], "the stored 0/0/100 stands")
        #expect(summary.splitMoves == 0)
        let changed = try f.scan(split: SplitPolicy(train: 1, val: 0, test: 0))
        #expect(changed.splitMoves == 6, "every video moved from test to train, and the scan says so")
        #expect(try f.query("SELECT DISTINCT split FROM videos") == [[.text("train")]])
    }

    @Test func theCommandReportsHowManyVideosMoved() throws {
        let f = try CatalogFixture()
        try f.manifest("s", labels: CatalogScanTests.labels)
        for i in 0..<3 { try f.video("s", "squat/subject\(i).mp4", variant: i) }
        #expect(try f.cli(["scan", "--data", f.data.path, "--manifests", f.manifests.path, "--split", "0/0/1"]).status == 0)
        let again = try f.cli(["scan", "--data", f.data.path, "--manifests", f.manifests.path, "--split", "1/0/0"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("3 of 3 videos moved between splits") || again.stderr.contains("3 of 3 videos moved between splits"))
        let bad = try f.cli(["scan", "--data", f.data.path, "--manifests", f.manifests.path, "--split", "80/20"])
        #expect(bad.status == 2 && bad.stderr.contains("--split"))
    }

    /// A hand edit that puts text in a number column is an error naming the table, column and row, not a crash.
    @Test func anOddRowIsAnErrorNamingTableAndColumn() throws {
        let f = try CatalogFixture()
        try f.manifest("odd", labels: CatalogScanTests.labels)
        try f.video("odd", "squat/subject1.mp4")
        try f.scan()
        try Database(path: f.database).executeScript("UPDATE videos SET mtime = 'yesterday'")
        let error = try #require(throws: RecordError.self) { try f.scan() }
        #expect(error.description.contains("videos.mtime") && error.description.contains("row id 1") && error.description.contains("'yesterday'"))
        let cli = try f.cliScan()
        #expect(cli.status == 1 && cli.stderr.contains("videos.mtime"))
    }

    /// Two files with one name in different folders, reached through a symbolic link, stay two rows.
    @Test func filesSharingANameStayDistinct() throws {
        let f = try CatalogFixture()
        try f.manifest("dup", labels: CatalogScanTests.labels)
        try f.video("dup", "squat/a/clip.mp4", variant: 1)
        try f.video("dup", "squat/b/clip.mp4", variant: 2)
        let link = f.folder("linked")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: f.data)
        let options = CatalogScanner.Options(data: link, manifests: f.manifests, database: f.database, jobs: 1)
        let summary = try CatalogScanner(options: options, console: Console(isTerminal: false)).run()
        #expect(summary.files == 2)
        #expect(try f.query("SELECT path FROM videos ORDER BY path") == [[.text("squat/a/clip.mp4")], [.text("squat/b/clip.mp4")]])
    }
}
