@testable import CatalogScan
@testable import CatalogStore
import CatalogReport
import Datasets
import Database
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `biomech-catalog` as users run it: stats, query, export, report, and a scan killed with SIGKILL.
@Suite struct CatalogCommandTests {
    static func scanned() throws -> CatalogFixture {
        let f = try CatalogFixture()
        try f.manifest("cli", labels: CatalogScanTests.labels)
        try f.video("cli", "squat/subject1_good.mp4", variant: 1)
        try f.video("cli", "squat/subject2_poor.mp4", variant: 2)
        try f.video("cli", "lunge/subject3.mp4", variant: 3)
        try f.folder.write("data/raw/cli/files/lunge/broken.mp4", "not a video")
        let result = try f.cliScan()
        #expect(result.status == 0, "\(result.all)")
        #expect(result.stdout.contains("4 video files: 4 probed"), "\(result.stdout)")
        return f
    }

    @Test func statsQueryExportAndReport() throws {
        let f = try Self.scanned()
        let stats = try f.cli(["stats", "--json"])
        let objects = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [[String: Any]]
        #expect(objects?.first?["dataset"] as? String == "cli" && objects?.first?["videos"] as? Int == 4 && objects?.first?["probe_errors"] as? Int == 1)
        #expect(objects?.last?["dataset"] as? String == "total")

        let csv = try f.cli(["query", "SELECT exercise, COUNT(*) AS n FROM videos GROUP BY exercise ORDER BY exercise", "--format", "csv"])
        #expect(csv.stdout == "exercise,n\r\nlunge,2\r\nsquat,2\r\n", "\(csv.all)")
        let write = try f.cli(["query", "DELETE FROM videos"])
        #expect(write.status != 0 && write.stderr.lowercased().contains("readonly"), "\(write.all)")
        #expect(try f.query("SELECT COUNT(*) FROM videos") == [[.integer(4)]])
        let typo = try f.cli(["query", "SELECT nonsense FROM videos"])
        #expect(typo.status == 1 && typo.stderr.contains("no such column"), "\(typo.all)")

        let exported = try f.cli(["export", "--csv", f.folder("export").path])
        #expect(exported.status == 0, "\(exported.all)")
        let videos = try String(contentsOf: f.folder("export/videos.csv"), encoding: .utf8)
        #expect(videos.hasPrefix("id,dataset,path,sha256,") && videos.components(separatedBy: "\r\n").count == 6)
        #expect(FileManager.default.fileExists(atPath: f.folder("export/problems.csv").path))

        let report = try f.cli(["report", "--out", f.folder("cards").path])
        #expect(report.status == 0, "\(report.all)")
        let card = try String(contentsOf: f.folder("cards/cli.md"), encoding: .utf8)
        #expect(card.contains("![videos by exercise and quality](cli-exercise-quality.png)") && card.contains("| probe_error | 1 |"))
        for chart in ["cli-exercise-quality.png", "cli-duration.png"] {
            let bytes = try Data(contentsOf: f.folder("cards/\(chart)"))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(chart) is a PNG")
        }
    }

    @Test func aKilledScanLeavesWholeBatchesAndTheNextScanFinishes() throws {
        let f = try CatalogFixture()
        try f.manifest("kill", labels: CatalogScanTests.labels)
        let first = try f.video("kill", "squat/subject0/v0.mp4")
        for i in 1..<400 {   // plain copies: duplicates are fine here, the point is the number of files
            let target = f.files("kill").appendingPathComponent("squat/subject\(i % 40)/v\(i).mp4")
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: first, to: target)
        }
        // Kill on an event: the scan logs "probed 64/400" right after its first batch commits.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Tools.product("biomech-catalog"))
        process.arguments = ["scan", "--db", f.database, "--data", f.data.path, "--manifests", f.manifests.path, "--jobs", "1"]
        let log = Pipe()
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while !seen.contains("probed 64/400") {
            let chunk = log.fileHandleForReading.availableData
            if chunk.isEmpty { break }   // the scan ended (or died) without logging its first batch
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try #require(seen.contains("probed 64/400"), "the scan never logged its first batch: \(seen)")
        try #require(process.terminationReason == .uncaughtSignal, "the SIGKILL landed (the scan did not finish first)")
        let db = try Database(path: f.database, mode: .readOnly)
        #expect(try db.query("PRAGMA integrity_check").rows == [[.text("ok")]])
        let rows = try db.scalar("SELECT COUNT(*) FROM videos").int ?? -1
        #expect(rows >= 64 && rows < 400 && rows % 64 == 0, "batches are all-or-nothing: \(rows) rows")
        let rescan = try f.cliScan()
        #expect(rescan.status == 0, "\(rescan.all)")
        #expect(rescan.stdout.contains("\(400 - rows) probed, \(rows) unchanged"), "\(rescan.stdout)")
        #expect(try f.query("SELECT COUNT(*), SUM(probe_error IS NULL) FROM videos") == [[.integer(400), .integer(400)]])
        print("killed scan: \(rows) of 400 rows committed; the re-scan probed the remaining \(400 - rows)")
    }
}
