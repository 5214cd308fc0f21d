import BiomechCore
import Datasets
import Fetch
import Foundation
import Logging
import Testing
import TestSupport

/// Real libcurl against a real HTTP server on 127.0.0.1, with faults injected by the server.
@Suite struct DownloaderTests {
    let server: FixtureServer
    let out: TemporaryFolder
    let payload: Data
    let sha: String

    init() throws { (server, out, payload, sha) = try FixtureServer.servingOneFile(size: 3 << 20, seed: 7) }

    func downloader(retries: Int = 3, stall: Int = 30, logger: Logger = Logger(label: "test")) -> Downloader {
        var settings = DownloadSettings()
        settings.retries = retries
        settings.retryDelay = 0.05
        settings.stallSeconds = stall
        return Downloader(settings: settings, console: Console(isTerminal: false), logger: logger)
    }

    func fetch(_ paths: [String], sha256: String? = nil, size: Int64? = nil, retries: Int = 3, stall: Int = 30,
               logger: Logger = Logger(label: "test")) throws -> DownloadReport {
        let request = DownloadRequest(sources: paths.map(server.url), destination: out("file.bin"), sha256: sha256 ?? sha, size: size)
        return try downloader(retries: retries, stall: stall, logger: logger).download(request, label: "file.bin")
    }

    func expectVerifiedFile() throws {
        #expect(try Data(contentsOf: out("file.bin")) == payload)
        #expect(!FileManager.default.fileExists(atPath: out("file.bin.part").path))
    }

    @Test func plainDownloadVerifies() throws {
        let report = try fetch(["file.bin"])
        #expect(report.sha256 == sha)
        #expect(report.bytes == Int64(payload.count))
        #expect(report.bytesTransferred == Int64(payload.count))
        #expect(report.attempts == 1)
        try expectVerifiedFile()
    }

    @Test func droppedConnectionResumesWithRange() throws {
        let report = try fetch(["drop/1/file.bin"])
        try expectVerifiedFile()
        let requests = server.requests(for: "file.bin")
        #expect(requests.count == 2)
        #expect(requests[0].fault == "drop" && requests[0].range == nil)
        let half = payload.count / 2
        #expect(requests[1].range == "bytes=\(half)-")
        #expect(requests[1].status == 206)
        #expect(report.attempts == 2)
        #expect(report.bytesTransferred == Int64(payload.count))
    }

    @Test func serviceUnavailableIsRetried() throws {
        let report = try fetch(["status/503/2/file.bin"])
        try expectVerifiedFile()
        #expect(server.requests(for: "file.bin").map(\.status) == [503, 503, 200])
        #expect(report.attempts == 3)
    }

    @Test func tooManyRequestsHonoursRetryAfter() throws {
        let log = CapturedLog()
        _ = try fetch(["retry-after/1/1/file.bin"], logger: log.logger())
        try expectVerifiedFile()
        #expect(server.requests(for: "file.bin").map(\.status) == [429, 200])
        // The retry waits for the server's Retry-After (1 s), not the 0.05 s backoff.
        #expect(log.messages.contains { $0.contains("HTTP 429") && $0.contains("retrying in 1.0 s") }, "\(log.messages)")
    }

    @Test func clientErrorIsNotRetriedAndMirrorIsTried() throws {
        let report = try fetch(["status/404/5/file.bin", "file.bin"])
        try expectVerifiedFile()
        let statuses = server.requests(for: "file.bin").map(\.status)
        #expect(statuses == [404, 200])
        #expect(report.url == server.url("file.bin"))
    }

    @Test func allSourcesFailingNamesEachReason() throws {
        do {
            _ = try fetch(["status/404/9/file.bin", "status/500/9/file.bin"], retries: 1)
            Issue.record("expected a failure")
        } catch let error as DownloadError {
            #expect(error.description.contains("HTTP 404"))
            #expect(error.description.contains("HTTP 500"))
        }
        #expect(server.requests(for: "file.bin").map(\.status) == [404, 500, 500])
        #expect(!FileManager.default.fileExists(atPath: out("file.bin").path))
    }

    @Test func serverIgnoringRangeRestartsCleanly() throws {
        try out.write("file.bin.part", payload.prefix(1000))
        let report = try fetch(["norange/file.bin"])
        try expectVerifiedFile()
        let request = try #require(server.requests(for: "file.bin").first)
        #expect(request.range == "bytes=1000-" && request.status == 200)
        #expect(report.resumedFrom == 1000)
    }

    @Test func wrongContentRangeRestartsFromZero() throws {
        try out.write("file.bin.part", payload.prefix(5000))
        _ = try fetch(["badrange/file.bin"])
        try expectVerifiedFile()
        let requests = server.requests(for: "file.bin")
        #expect(requests.first?.range == "bytes=5000-")
        #expect(requests.last?.range == nil)
    }

    @Test func resumesFromExistingPartAndHashesIt() throws {
        try out.write("file.bin.part", payload.prefix(1 << 20))
        let report = try fetch(["file.bin"])
        try expectVerifiedFile()
        #expect(report.resumedFrom == 1 << 20)
        #expect(report.bytesTransferred == Int64(payload.count - (1 << 20)))
        #expect(server.requests(for: "file.bin").first?.range == "bytes=1048576-")
    }

    @Test func completePartIsVerifiedWithoutBody() throws {
        try out.write("file.bin.part", payload)
        let report = try fetch(["file.bin"])
        try expectVerifiedFile()
        #expect(report.bytesTransferred == 0)
        #expect(server.requests(for: "file.bin").first?.status == 416)
    }

    @Test func checksumMismatchDeletesPartAndRetries() throws {
        let report = try fetch(["corrupt/1/file.bin"])
        try expectVerifiedFile()
        #expect(server.requests(for: "file.bin").map(\.fault) == ["corrupt", nil])
        // The second attempt started from byte 0: the corrupt .part was deleted.
        #expect(server.requests(for: "file.bin").last?.range == nil)
        #expect(report.attempts == 2)
    }

    @Test func persistentMismatchFailsWithBothHashes() throws {
        do {
            _ = try fetch(["corrupt-always/file.bin"], retries: 2)
            Issue.record("expected a checksum failure")
        } catch let error as DownloadError {
            var corrupted = payload
            corrupted[payload.count / 2] ^= 0xFF
            try out.write("corrupt.bin", corrupted)
            let wrong = try FileDigest.sha256(ofFile: out("corrupt.bin").path).hex
            #expect(error.description.contains(sha))
            #expect(error.description.contains(wrong))
        }
        #expect(server.requests(for: "file.bin").count == 3)
        #expect(!FileManager.default.fileExists(atPath: out("file.bin").path))
        #expect(!FileManager.default.fileExists(atPath: out("file.bin.part").path))
    }

    @Test func sizeMismatchIsReported() throws {
        do {
            _ = try fetch(["file.bin"], size: 12, retries: 0)
            Issue.record("expected a size failure")
        } catch let error as DownloadError {
            #expect(error.description.contains("expected 12 bytes"))
        }
    }

    @Test func stalledTransferIsAbortedAndResumed() throws {
        // The server sends half, then holds the connection silent until released; the 1 s stall limit aborts and resumes.
        let report = try fetch(["hold/stall/1/file.bin"], stall: 1)
        try expectVerifiedFile()
        server.release("stall")   // the held request is logged once it ends
        let requests = server.requests(for: "file.bin").sorted { ($0.time ?? 0) < ($1.time ?? 0) }
        try #require(requests.count == 2)
        #expect(requests[0].fault == "hold")
        #expect(requests[1].range == "bytes=\(payload.count / 2)-")
        #expect(report.attempts == 2)
    }

    @Test func refusedConnectionIsRetriedThenFails() throws {
        let request = DownloadRequest(sources: ["http://127.0.0.1:9/file.bin"], destination: out("file.bin"), sha256: sha)
        #expect(throws: DownloadError.self) { try downloader(retries: 1).download(request, label: "x") }
    }

    @Test func unpinnedDownloadReportsItsHash() throws {
        let request = DownloadRequest(sources: [server.url("file.bin")], destination: out("file.bin"), sha256: nil)
        let report = try downloader().download(request, label: "x")
        #expect(report.sha256 == sha)
    }

    @Test func fileDigestAgreesWithSha256sum() throws {
        let result = try Tools.run("sha256sum", [server.root("file.bin").path])
        #expect(result.stdout.hasPrefix(sha))
    }
}
