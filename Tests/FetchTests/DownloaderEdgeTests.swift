import BiomechCore
@testable import Fetch
import Foundation
import Logging
import Testing
import TestSupport

/// Settings and answers at the edges: refused curl options, impossible numbers, a flush that fails.
@Suite struct DownloaderEdgeTests {
    let server: FixtureServer
    let out: TemporaryFolder
    let payload: Data
    let sha: String

    init() throws { (server, out, payload, sha) = try FixtureServer.servingOneFile(size: 1 << 20, seed: 5) }

    func download(_ path: String, _ adjust: (inout DownloadSettings) -> Void = { _ in }) throws -> DownloadReport {
        var settings = DownloadSettings()
        settings.retryDelay = 0.01
        adjust(&settings)
        let downloader = Downloader(settings: settings, console: Console(isTerminal: false), logger: Logger(label: "test"))
        let request = DownloadRequest(sources: [server.url(path)], destination: out("file.bin"), sha256: sha)
        return try downloader.download(request, label: "file.bin")
    }

    @Test func optionLibcurlRefusesIsNamed() throws {
        // libcurl refuses a negative low-speed time (CURLE_BAD_FUNCTION_ARGUMENT); it was once ignored.
        #expect { try download("file.bin") { $0.stallSeconds = -1 } } throws: { error in
            "\(error)".contains("CURLOPT_LOW_SPEED_TIME") && "\(error)".contains("A libcurl function was given a bad argument")
        }
        #expect(server.requests().isEmpty, "no transfer is attempted with a half-made handle")
        #expect(!FileManager.default.fileExists(atPath: out("file.bin").path))
    }

    @Test func hugeRetryCountDoesNotOverflow() throws {
        // A dropped connection makes progress, so the progressed-retry budget (ten per retry) is computed.
        let report = try download("drop/1/file.bin") { $0.retries = .max }
        #expect(report.sha256 == sha && report.attempts == 2)
    }

    @Test func retryAfterTooLargeForADoubleIsIgnored() throws {
        // 10^400 seconds parses as infinity; it once trapped converting to Int for the message.
        let forever = "1" + String(repeating: "0", count: 400)
        let report = try download("retry-after/\(forever)/1/file.bin")
        #expect(report.attempts == 2)
        #expect(server.requests(for: "file.bin").map(\.status) == [429, 200])
    }

    @Test(arguments: ["inf", "-inf", "nan", "1e400", "infinity"])
    func nonFiniteRetryAfterIsNoDelay(_ value: String) {
        #expect(parseRetryAfter(value) == nil)
    }

    @Test func retryAfterSecondsAndDates() {
        #expect(parseRetryAfter(" 120 ") == 120)
        #expect(parseRetryAfter("-5") == 0)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(parseRetryAfter("Tue, 14 Nov 2023 22:12:20 GMT", now: now) == 0)
        #expect(parseRetryAfter("Tue, 14 Nov 2023 22:14:20 GMT", now: now) == 60)
    }

    @Test func failedFlushKeepsThePartAndDoesNotRename() throws {
        // fsync fails with EINVAL on a character device: a .part that cannot be made durable.
        let part = out("file.bin.part")
        try FileManager.default.createSymbolicLink(atPath: part.path, withDestinationPath: "/dev/null")
        let downloader = Downloader(settings: DownloadSettings(), console: Console(isTerminal: false), logger: Logger(label: "test"))
        #expect { try downloader.finish(part: part, destination: out("file.bin")) } throws: { error in
            "\(error)".contains("file.bin.part") && "\(error)".contains("fsync")
        }
        #expect(!FileManager.default.fileExists(atPath: out("file.bin").path), "no final name for bytes that may not be on disk")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: part.path)) == "/dev/null")
    }
}
