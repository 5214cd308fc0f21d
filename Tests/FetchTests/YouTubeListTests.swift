import BiomechCore
import Datasets
import Fetch
import Foundation
import Testing
import TestSupport

/// YouTube clip lists through a fake `yt-dlp` on PATH (the real one needs the internet).
@Suite struct YouTubeListTests {
    let server: FixtureServer
    let work: TemporaryFolder

    init() throws {
        server = try FixtureServer()
        work = try TemporaryFolder()
        // A Countix-like label tarball: countix/countix_train.csv inside.
        try work.write("labels/countix/countix_train.csv", """
        video_id,class,kinetics_start,kinetics_end,repetition_start,repetition_end,count
        abcdefghijk,squat,10.0,20.0,11.0,19.0,5
        gone0000000,lunge,0.0,10.0,1.0,9.0,4
        abcdefghijk,squat,10.0,20.0,11.0,19.0,5
        xyz_-123456,pull ups,3.5,13.5,4.0,13.0,6

        """)
        try ArchiveFixtures.bsdtar(work("labels"), to: server.root("countix.tar.gz"), format: "pax", compression: "-z")
        let sha = try FileDigest.sha256(ofFile: server.root("countix.tar.gz").path).hex
        try ManifestFixture.write(in: work, name: "countix", access: "youtube", body: """
        files:
          - url: \(server.url("countix.tar.gz"))
            sha256: \(sha)
        youtube:
          lists: [files/countix/countix_train.csv]
          id_column: video_id
          start_column: kinetics_start
          end_column: kinetics_end
        """)
        // The fake yt-dlp logs its arguments, fails like YouTube for ids starting "gone", else writes the -o file.
        _ = try FakeYtDlp(in: work)
    }

    func fetch(_ extra: [String] = [], withTool: Bool = true) throws -> Tools.Result {
        let path = (withTool ? work("bin").path + ":" : "") + "/usr/bin:/bin"
        return try Tools.run(Tools.product("biomech-fetch"),
                             ["--manifests", work("manifests").path, "--out", work("out").path, "--retry-delay", "0.01", "--retries", "1"] + extra,
                             environment: ["PATH": path])
    }

    @Test func downloadsClipsAndRecordsUnavailableOnes() throws {
        let result = try fetch()
        #expect(result.status == 0, "\(result.all)")
        let clips = work("out/countix/files/youtube")
        #expect(try String(contentsOf: clips.appendingPathComponent("abcdefghijk_10_20.mp4"), encoding: .utf8) == "fake video abcdefghijk")
        #expect(FileManager.default.fileExists(atPath: clips.appendingPathComponent("xyz_-123456_3.5_13.5.mp4").path))
        let log = try String(contentsOf: work("yt-dlp.log"), encoding: .utf8)
        #expect(log.contains("--download-sections *10.0-20.0"))
        #expect(log.contains("https://www.youtube.com/watch?v=abcdefghijk"))
        #expect(FileManager.default.fileExists(atPath: clips.appendingPathComponent("abcdefghijk_10_20.info.json").path), "the metadata is kept beside the clip")
        let receipt = try JSONDecoder().decode(Receipt.self, from: Data(contentsOf: work("out/countix/FETCHED.json")))
        #expect(receipt.clips.count == 3, "duplicate rows are fetched once")
        #expect(receipt.clips.first { $0.id == "gone0000000" }?.state == .unavailable)
        #expect(receipt.clips.filter { $0.state == .downloaded }.count == 2)
        #expect(result.stdout.contains("2/3 clips, 1 unavailable on YouTube"))

        // A re-run neither re-downloads nor retries the unavailable clip.
        let calls = log.split(separator: "\n").count
        let again = try fetch()
        #expect(again.status == 0)
        #expect(try String(contentsOf: work("yt-dlp.log"), encoding: .utf8).split(separator: "\n").count == calls)
        #expect(again.stdout.contains("up to date"))
    }

    @Test func clipsSurviveARebuildOfFiles() throws {
        _ = try fetch()
        try FileManager.default.removeItem(at: work("out/countix/files/countix"))
        try FileManager.default.removeItem(at: work("out/countix/FETCHED.json"))
        let again = try fetch()
        #expect(again.status == 0)
        #expect(FileManager.default.fileExists(atPath: work("out/countix/files/countix/countix_train.csv").path))
        #expect(FileManager.default.fileExists(atPath: work("out/countix/files/youtube/abcdefghijk_10_20.mp4").path))
    }

    /// A rebuild interrupted after an older version moved the clips into its staging folder.
    @Test func clipsLeftInStagingByACrashAreKept() throws {
        _ = try fetch()
        let staged = work("out/countix/.staging-99999/files")
        try FileManager.default.createDirectory(at: staged, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: work("out/countix/files/youtube"), to: staged.appendingPathComponent("youtube"))
        let calls = try String(contentsOf: work("yt-dlp.log"), encoding: .utf8).split(separator: "\n").count

        let again = try fetch()
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stderr.contains("moving clip abcdefghijk_10_20.mp4 back"), "\(again.stderr)")
        #expect(try String(contentsOf: work("out/countix/files/youtube/abcdefghijk_10_20.mp4"), encoding: .utf8) == "fake video abcdefghijk")
        #expect(try String(contentsOf: work("yt-dlp.log"), encoding: .utf8).split(separator: "\n").count == calls,
                "the clips were kept, not fetched again (YouTube may have removed them since)")
        #expect(!FileManager.default.fileExists(atPath: work("out/countix/.staging-99999").path))
    }

    @Test func missingYtDlpSaysHowToInstallAndWaits() throws {
        let result = try fetch(withTool: false)
        #expect(result.status == 0, "\(result.all)")
        #expect(result.stderr.contains("yt-dlp is not installed"))
        #expect(result.stderr.contains("pip install yt-dlp"))
        #expect(result.stdout.contains("waiting"))
        // The label files were still fetched.
        #expect(FileManager.default.fileExists(atPath: work("out/countix/files/countix/countix_train.csv").path))
    }
}
