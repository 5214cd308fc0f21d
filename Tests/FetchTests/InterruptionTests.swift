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

    /// A manifest whose file the server sends half of, then holds until the test releases `gate`.
    func heldManifest(gate: String) throws {
        try ManifestFixture.write(in: work, name: "slow", body: """
        files:
          - url: \(server.url("hold/\(gate)/1/big.bin"))
            sha256: \(sha)
            extract: none
        """)
    }

    var arguments: [String] { ["--manifests", work("manifests").path, "--out", work("out").path, "--retry-delay", "0.05"] }
    var part: String { work("out/slow/downloads/big.bin.part").path }
    var half: Int64 { Int64(payload.count / 2) }

    func size(_ path: String) -> Int64 { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0 }

    @Test func sigkillMidDownloadThenResume() throws {
        try heldManifest(gate: "kill")
        let (process, _, _) = try Tools.start(Tools.product("biomech-fetch"), arguments)
        // The server has sent half the file and holds the connection: the client must write all of it.
        try server.waitUntilHeld("kill")
        try FileWatch.wait(in: work("out/slow/downloads"), while: process) { size(part) >= half }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        server.release("kill")
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(size(part) == half)
        #expect(!FileManager.default.fileExists(atPath: work("out/slow/downloads/big.bin").path))
        #expect(!FileManager.default.fileExists(atPath: work("out/slow/FETCHED.json").path))

        let again = try Tools.run(Tools.product("biomech-fetch"), arguments)
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stderr.contains("resuming from"))
        let receipt = try JSONDecoder().decode(Receipt.self, from: Data(contentsOf: work("out/slow/FETCHED.json")))
        let entry = try #require(receipt.files.first)
        #expect(entry.sha256 == sha)
        #expect(entry.resumedFrom == half)
        #expect(entry.bytesTransferred == Int64(payload.count) - half)
        #expect(try Data(contentsOf: work("out/slow/downloads/big.bin")) == payload)
        // In order of arrival: the held response is logged only when its write to the killed client fails.
        let requests = server.requests(for: "big.bin").sorted { ($0.time ?? 0) < ($1.time ?? 0) }
        #expect(requests.map(\.fault) == ["hold", nil])
        #expect(requests.last?.range == "bytes=\(half)-")
    }

    @Test func twoProcessesOnOneFolderTakeTurns() throws {
        try heldManifest(gate: "turns")
        let first = try Tools.startWatched(Tools.product("biomech-fetch"), arguments)
        // The first holds the dataset's lock while the server holds its download halfway.
        try server.waitUntilHeld("turns")
        let second = try Tools.startWatched(Tools.product("biomech-fetch"), arguments)
        let waited = second.waitForStderr(containing: "waiting for process \(first.process.processIdentifier)")
        #expect(waited, "\(second.stderrText)")
        server.release("turns")
        #expect(first.finish() == 0, "\(first.stderrText)")
        #expect(second.finish() == 0, "\(second.stderrText)")
        #expect(second.stderrText.contains("up to date"), "\(second.stderrText)")
        #expect(try Data(contentsOf: work("out/slow/downloads/big.bin")) == payload)
        // The file was downloaded once: the second process found it verified.
        #expect(server.requests(for: "big.bin").count == 1)
    }
}
