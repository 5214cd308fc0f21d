import BiomechCore
import Datasets
import Fetch
import Foundation
import Testing
import TestSupport

/// `biomech-fetch` end to end: the built executable against a real HTTP server on 127.0.0.1.
@Suite struct FetchCommandTests {
    let server: FixtureServer
    let work: TemporaryFolder
    let archiveSHA: String
    let csvSHA: String

    init() throws {
        server = try FixtureServer()
        work = try TemporaryFolder()
        let tree = try ArchiveFixtures.makeTree(in: work)
        try ArchiveFixtures.bsdtar(tree, to: server.root("demo.tar.gz"), format: "pax", compression: "-z")
        try server.root.write("extra.csv", "id,count\n1,5\n")
        archiveSHA = try FileDigest.sha256(ofFile: server.root("demo.tar.gz").path).hex
        csvSHA = try FileDigest.sha256(ofFile: server.root("extra.csv").path).hex
    }

    var out: URL { work("out") }

    func manifest(_ name: String, _ body: String, access: String = "http") throws {
        try ManifestFixture.write(in: work, name: name, access: access, body: body)
    }

    func demoManifest(name: String = "demo", archivePath: String = "demo.tar.gz") throws {
        try manifest(name, """
        files:
          - url: \(server.url(archivePath))
            sha256: \(archiveSHA)
          - url: \(server.url("extra.csv"))
            sha256: \(csvSHA)
        """)
    }

    @discardableResult
    func fetch(_ extra: [String] = [], environment: [String: String] = [:]) throws -> Tools.Result {
        try Tools.run(Tools.product("biomech-fetch"),
                      ["--manifests", work("manifests").path, "--out", out.path, "--retry-delay", "0.05"] + extra,
                      environment: environment)
    }

    func receipt(_ name: String) throws -> Receipt {
        try JSONDecoder().decode(Receipt.self, from: Data(contentsOf: out.appendingPathComponent("\(name)/FETCHED.json")))
    }

    @Test func fetchesExtractsAndWritesReceipt() throws {
        try demoManifest()
        let result = try fetch()
        #expect(result.status == 0, "\(result.all)")
        let files = out.appendingPathComponent("demo/files")
        #expect(try Data(contentsOf: files.appendingPathComponent("videos/squat/a.mp4")) == pseudoRandomBytes(70_000, seed: 1))
        #expect(try String(contentsOf: files.appendingPathComponent("extra.csv"), encoding: .utf8) == "id,count\n1,5\n")
        let r = try receipt("demo")
        #expect(r.state == .complete && r.tool == "biomech-fetch" && r.version == BiomechVersion.string)
        #expect(r.files.map(\.path) == ["downloads/demo.tar.gz", "downloads/extra.csv"])
        #expect(r.files.map(\.sha256) == [archiveSHA, csvSHA])
        #expect(r.files.map(\.extracted) == [true, false])
        #expect(r.files[0].url == server.url("demo.tar.gz"))
        #expect(r.files[0].bytes == Int64(try Data(contentsOf: server.root("demo.tar.gz")).count))
        #expect(result.stdout.contains("demo") && result.stdout.contains("fetched"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("demo/downloads/demo.tar.gz.part").path))
    }

    @Test func rerunDownloadsNothingAndSaysSo() throws {
        try demoManifest()
        try fetch()
        let before = server.requests().count
        let again = try fetch()
        #expect(again.status == 0)
        #expect(again.stderr.contains("up to date, nothing downloaded"))
        #expect(again.stdout.contains("up to date"))
        #expect(server.requests().count == before)
    }

    @Test func verifyRehashesAndRepairsACorruptDownload() throws {
        try demoManifest()
        try fetch()
        // Corrupt the download in place, keeping its size and mtime: only a re-hash can notice.
        let path = out.appendingPathComponent("demo/downloads/extra.csv").path
        try Tools.require("cp", ["-p", path, work("stamp").path])
        try Data("id,count\n1,6\n".utf8).write(to: URL(fileURLWithPath: path))
        try Tools.require("touch", ["-r", work("stamp").path, path])
        let trusting = try fetch()
        #expect(trusting.stderr.contains("up to date"))
        let verified = try fetch(["--verify"])
        #expect(verified.status == 0, "\(verified.all)")
        #expect(verified.stderr.contains("downloading it again"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "id,count\n1,5\n")
        #expect(try String(contentsOf: out.appendingPathComponent("demo/files/extra.csv"), encoding: .utf8) == "id,count\n1,5\n")
    }

    @Test func badManifestExitsTwoNamingFileLineAndKey() throws {
        try demoManifest()
        try manifest("broken", """
        files:
          - url: \(server.url("extra.csv"))
            sha256: \(csvSHA)
            extrct: none
        """)
        let result = try fetch()
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.yaml:10: key 'files[0].extrct': unknown key"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("demo").path))
    }

    @Test func badOptionsExitTwo() throws {
        try demoManifest()
        let unknown = try fetch(["--bogus"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("Unknown option '--bogus'"))
        let invalid = try fetch(["--jobs", "0"])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("--jobs must be at least 1"))
        #expect(try fetch(["--help"]).status == 0)
    }

    /// Values that once trapped converting a Double (`inf` to Int64) or overflowing a retry budget.
    @Test(arguments: [
        ["--max-extract-size", "inf"], ["--max-extract-size", "nan"], ["--max-extract-size", "1e30"],
        ["--max-extract-size", "99999999T"], ["--max-extract-size", "-1"], ["--max-extract-size", ""],
        ["--retry-delay", "inf"], ["--retry-delay", "nan"], ["--max-retry-after", "1e30"], ["--stall-timeout", "-1"],
        ["--stall-timeout", "0.5"], ["--max-ratio", "inf"], ["--max-ratio", "nan"], ["--retries", "9223372036854775807"],
    ])
    func impossibleNumbersExitTwoNamingTheOption(_ option: [String]) throws {
        try demoManifest()
        let result = try fetch(option)
        #expect(result.status == 2, "\(option): \(result.all)")
        #expect(result.stderr.contains(option[0]), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is fetched after a usage error")
    }

    @Test func maxExtractSizeInfinitySaysWhatIsExpected() throws {
        try demoManifest()
        let result = try fetch(["--max-extract-size", "inf"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("'inf' is invalid for '--max-extract-size <size>'"), "\(result.stderr)")
        #expect(result.stderr.contains("a size such as 500G or 2T"), "\(result.stderr)")
    }

    @Test func durationsAcceptUnits() throws {
        try demoManifest()
        let result = try fetch(["--retry-delay", "0.05s", "--stall-timeout", "1m",
                                "--max-retry-after", "10m", "--max-extract-size", "1G"])
        #expect(result.status == 0, "\(result.all)")
    }

    @Test func unknownOnlyNameIsAUsageError() throws {
        try demoManifest()
        let result = try fetch(["--only", "nope"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no manifest named 'nope'"))
    }

    @Test func failedDatasetExitsOneAndOthersStillFinish() throws {
        try demoManifest()
        try manifest("gone", """
        files:
          - url: \(server.url("missing.zip"))
            unpinned: true
        """)
        let result = try fetch(["--retries", "0"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("HTTP 404"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("demo/FETCHED.json").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("gone/FETCHED.json").path))
        let row = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("gone") })
        #expect(row.contains("failed"))
    }

    @Test func manualDatasetWaitsThenCompletes() throws {
        try demoManifest()
        try manifest("handmade", """
        manual:
          form: https://forms.example.org/ask
          instructions: |
            Ask the authors, then place the zip.
          expect:
            - path: videos/clips.zip
            - path: notes.txt
              sha256: \(csvSHA)
        """, access: "manual")
        let waiting = try fetch()
        #expect(waiting.status == 0, "a waiting manual dataset does not fail the run")
        let expectedZip = out.appendingPathComponent("handmade/downloads/videos/clips.zip").path
        #expect(waiting.stderr.contains("MISSING  \(expectedZip)"))
        #expect(waiting.stderr.contains("https://forms.example.org/ask"))
        #expect(waiting.stderr.contains("Ask the authors"))
        #expect(waiting.stdout.contains("waiting"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("demo/FETCHED.json").path))

        try FileManager.default.createDirectory(atPath: (expectedZip as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ArchiveFixtures.bsdtar(work("tree"), to: URL(fileURLWithPath: expectedZip), format: "zip")
        try Data("wrong".utf8).write(to: out.appendingPathComponent("handmade/downloads/notes.txt"))
        let wrong = try fetch(["--only", "handmade"])
        #expect(wrong.status == 0)
        #expect(wrong.stderr.contains("present  \(expectedZip)"))
        #expect(wrong.stderr.contains("WRONG"))
        #expect(wrong.stderr.contains("expected \(csvSHA)"))

        try FileManager.default.copyItem(at: server.root("extra.csv"), to: out.appendingPathComponent("handmade/downloads/notes.txt.new"))
        try FileManager.default.removeItem(at: out.appendingPathComponent("handmade/downloads/notes.txt"))
        try FileManager.default.moveItem(at: out.appendingPathComponent("handmade/downloads/notes.txt.new"),
                                         to: out.appendingPathComponent("handmade/downloads/notes.txt"))
        let done = try fetch(["--only", "handmade"])
        #expect(done.status == 0)
        #expect(!done.stderr.contains("MISSING"))
        let files = out.appendingPathComponent("handmade/files")
        #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("videos/videos/squat/a.mp4").path))
        #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("notes.txt").path))
        #expect(try receipt("handmade").files.map(\.url) == [nil, nil])
    }

    @Test func unpinnedFileWarnsWithTheHashToPin() throws {
        try manifest("loose", """
        files:
          - url: \(server.url("extra.csv"))
            unpinned: true
        """)
        let result = try fetch()
        #expect(result.status == 0)
        #expect(result.stderr.contains("unpinned"))
        #expect(result.stderr.contains("sha256: \(csvSHA)"))
    }

    @Test func dryRunWritesNothing() throws {
        try demoManifest()
        let result = try fetch(["--dry-run"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("would download"))
        #expect(result.stdout.contains("would fetch"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(server.requests().isEmpty)
    }

    /// The shipped manifests: a dry run says, for each manual set, where to ask, the licence and what to place where.
    @Test func dryRunOfTheShippedManifestsSaysWhatEachSetNeeds() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../manifests").standardized
        let result = try Tools.run(Tools.product("biomech-fetch"), ["--manifests", shipped.path, "--out", out.path, "--dry-run",
                                                                    "--only", "flex", "--only", "alex-gym-1", "--only", "qevd"])
        #expect(result.status == 0, "\(result.all)")
        for (name, form, file) in [("flex", "docs.google.com/forms", "FLEX/Split_4/split_4_train_list.mat"),
                                   ("alex-gym-1", "drive.google.com", "ALEX-GYM-1/squat.xlsx"),
                                   ("qevd", "qualcomm.com/developer/software/qevd-dataset", "QEVD-FIT-COACH.zip")] {
            #expect(result.stderr.contains("\(name): needs files placed by hand"), "\(name)")
            #expect(result.stderr.contains("request access: https://") && result.stderr.contains(form), "\(name)")
            #expect(result.stderr.contains("MISSING  \(out.path)/\(name)/downloads/\(file)"), "\(name)")
            #expect(result.stdout.contains(name) && result.stdout.contains("waiting"), "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "a dry run writes nothing")
    }

    @Test func maliciousArchiveFailsAndLeavesNoFilesFolder() throws {
        try ArchiveFixtures.zip(server.root("evil.zip"), name: "../../escaped.txt")
        let sha = try FileDigest.sha256(ofFile: server.root("evil.zip").path).hex
        try manifest("evil", """
        files:
          - url: \(server.url("evil.zip"))
            sha256: \(sha)
        """)
        let result = try fetch()
        #expect(result.status == 1)
        #expect(result.stderr.contains("evil.zip: entry '../../escaped.txt'"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("evil/files").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("escaped.txt").path))
        #expect(!FileManager.default.fileExists(atPath: work("escaped.txt").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("evil").path)
        #expect(!leftovers.contains { $0.hasPrefix(".staging") })
    }

    @Test func parallelJobsFetchEveryFile() throws {
        var entries = ""
        for i in 0..<5 {
            try server.root.write("part\(i).bin", pseudoRandomBytes(200_000, seed: UInt64(i)))
            let sha = try FileDigest.sha256(ofFile: server.root("part\(i).bin").path).hex
            entries += "  - url: \(server.url("part\(i).bin"))\n    sha256: \(sha)\n    extract: none\n"
        }
        try manifest("many", "files:\n" + entries)
        let result = try fetch(["--jobs", "3"])
        #expect(result.status == 0, "\(result.all)")
        #expect(try receipt("many").files.count == 5)
    }
}
