import BiomechCore
import Datasets
import Fetch
import Foundation
import Testing
import TestSupport

/// Killed and concurrent fetch processes: the real executable, a real server, real signals.
@Suite struct InterruptionTests {
    let server: FixtureServer
    let work: TemporaryFolder
    let payload = pseudoRandomBytes(4 << 20, seed: 11)
    let sha: String

    init() throws {
        server = try FixtureServer()
        work = try TemporaryFolder()
        try server.root.write("big.bin", payload)
        sha = try FileDigest.sha256(ofFile: server.root("big.bin").path).hex
    }

    /// A manifest whose file is served at `rate` bytes per second.
    func slowManifest(rate: Int) throws {
        try ManifestFixture.write(in: work, name: "slow", body: """
        files:
          - url: \(server.url("slow/\(rate)/big.bin"))
            sha256: \(sha)
            extract: none
        """)
    }

    var arguments: [String] { ["--manifests", work("manifests").path, "--out", work("out").path, "--retry-delay", "0.05"] }
    var part: String { work("out/slow/downloads/big.bin.part").path }

    func size(_ path: String) -> Int64 { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0 }

    @Test func sigkillMidDownloadThenResume() throws {
        try slowManifest(rate: 2 << 20)
        let (process, _, _) = try Tools.start(Tools.product("biomech-fetch"), arguments)
        // Wait until about a quarter of the file is on disk, then kill without warning.
        let deadline = Date().addingTimeInterval(30)
        while size(part) < Int64(payload.count / 4) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let kept = size(part)
        #expect(kept > 0 && kept < Int64(payload.count))
        #expect(!FileManager.default.fileExists(atPath: work("out/slow/downloads/big.bin").path))
        #expect(!FileManager.default.fileExists(atPath: work("out/slow/FETCHED.json").path))

        let again = try Tools.run(Tools.product("biomech-fetch"), arguments)
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stderr.contains("resuming from"))
        let receipt = try JSONDecoder().decode(Receipt.self, from: Data(contentsOf: work("out/slow/FETCHED.json")))
        let entry = try #require(receipt.files.first)
        #expect(entry.sha256 == sha)
        #expect(entry.resumedFrom >= kept)
        #expect(entry.bytesTransferred < Int64(payload.count))
        #expect(entry.bytesTransferred + entry.resumedFrom == Int64(payload.count))
        #expect(try Data(contentsOf: work("out/slow/downloads/big.bin")) == payload)
        let requests = server.requests(for: "big.bin")
        #expect(requests.last?.range == "bytes=\(entry.resumedFrom)-")
    }

    @Test func twoProcessesOnOneFolderTakeTurns() throws {
        try slowManifest(rate: 8 << 20)
        let first = try Tools.start(Tools.product("biomech-fetch"), arguments)
        let deadline = Date().addingTimeInterval(30)
        while size(part) == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let second = try Tools.start(Tools.product("biomech-fetch"), arguments)
        first.0.waitUntilExit()
        second.0.waitUntilExit()
        #expect(first.0.terminationStatus == 0)
        #expect(second.0.terminationStatus == 0)
        let secondLog = try String(contentsOf: second.stderr, encoding: .utf8)
        #expect(secondLog.contains("waiting for process \(first.0.processIdentifier)"), "\(secondLog)")
        #expect(secondLog.contains("up to date"))
        #expect(try Data(contentsOf: work("out/slow/downloads/big.bin")) == payload)
        // The file was downloaded once: the second process found it verified.
        #expect(server.requests(for: "big.bin").count == 1)
    }
}
