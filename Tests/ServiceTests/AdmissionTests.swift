import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TestSupport

/// Who gets in and when: API keys, a full queue, the deadline, and shutdown with a job in flight.
@Suite(.serialized)
struct AdmissionTests {
    init() throws { try MediaPipeFixture.requireDemoVideo() }

    @Test func withAKeyFileOnlyRequestsWithAKeyGetIn() async throws {
        let keys = try TemporaryFolder("biomech-serve-keys")
        let file = try keys.write("keys", Data("# the coaching app\n0123456789abcdef0123\n\nsecond-key-for-the-phone-app\n".utf8))
        let server = try ServerFixture(["--api-key-file", file.path])
        let missing = try await server.upload(TestClips.text)
        #expect(missing.status == 401 && missing.errorCode == "missing_api_key", "\(missing.text)")
        #expect(missing.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
        let wrong = try await server.upload(TestClips.text, headers: [("Authorization", "Bearer 0123456789abcdef0124")])
        #expect(wrong.status == 401 && wrong.errorCode == "wrong_api_key", "\(wrong.text)")
        // A right key passes: the text file then gets its own answer.
        let right = try await server.upload(TestClips.text, headers: [("Authorization", "Bearer 0123456789abcdef0123")])
        #expect(right.status == 415, "\(right.text)")
        let header = try await server.upload(TestClips.text, headers: [("X-API-Key", "second-key-for-the-phone-app")])
        #expect(header.status == 415, "\(header.text)")
        let job = try await server.get("/jobs/0123456789abcdef")
        #expect(job.status == 401)
        let health = try await server.get("/healthz")
        #expect(health.status == 200, "health stays open for probes")
        #expect(server.leftovers().isEmpty && server.jobFolders().isEmpty)
    }

    @Test func aKeyFileWithoutKeysStopsTheServiceWithExit2() throws {
        let folder = try TemporaryFolder("biomech-serve-keys")
        let file = try folder.write("keys", Data("# nothing here\n".utf8))
        let model = try ModelFixture.checkpoint(in: folder)
        let result = try Tools.run(Tools.product("biomech-serve"), ["--model", model.path, "--port", "0", "--api-key-file", file.path])
        #expect(result.status == 2 && result.stderr.contains("no key in it"), "\(result.all)")
        let missing = try Tools.run(Tools.product("biomech-serve"), ["--model", folder("none.ckpt").path, "--port", "0"])
        #expect(missing.status == 2 && missing.stderr.contains("none.ckpt"), "\(missing.all)")
    }

    @Test func aFullQueueGets503WithRetryAfter() async throws {
        // One worker, no queue: one upload in flight takes the only place.
        let server = try ServerFixture(["--queue", "0", "--max-duration", "2s"])
        let holder = try RawConnection(port: server.port)
        try holder.send(Data("POST /analyze-form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: video/mp4\r\nContent-Length: 500000\r\n\r\n".utf8))
        try holder.send(Data(repeating: 0, count: 1000))
        try await server.waitForHealth { $0["admitted"] as? Int == 1 }
        let refused = try await server.upload(TestClips.short)
        #expect(refused.status == 503 && refused.errorCode == "queue_full", "\(refused.text)")
        let retry = try #require(refused.headers.first(name: "Retry-After").flatMap(Int.init))
        #expect(retry >= 1)
        let metrics = try await server.get("/metrics")
        #expect(metrics.text.contains(#"biomech_serve_rejects_total{reason="queue_full"} 1"#), "\(metrics.text)")
        // The holder goes away mid-upload: its place and its partial file are given back.
        _ = consume holder
        try await server.waitForHealth { $0["admitted"] as? Int == 0 }
        #expect(server.leftovers().isEmpty && server.jobFolders().isEmpty, "\(server.leftovers())")
        // Room again; this video is longer than --max-duration.
        let long = try await server.upload(TestClips.demo)
        #expect(long.status == 413 && long.errorMessage.contains("lasts 7.7 s"), "\(long.text)")
        #expect(server.leftovers().isEmpty && server.jobFolders().isEmpty)
    }

    @Test func anAnalysisPastTheDeadlineGets504AndTheServiceGoesOn() async throws {
        // The workers hang after the probe (fault injection), so the deadline passes on any machine.
        let server = try ServerFixture(["--deadline", "3s"], environment: ["BIOMECH_SERVE_WORKER_FAULT": "hang"])
        let late = try await server.send(.POST, "/analyze-form", headers: [("Content-Type", "video/mp4")],
                                         body: .bytes(ByteBuffer(bytes: try Data(contentsOf: TestClips.short))))
        #expect(late.status == 504 && late.errorCode == "deadline", "\(late.text)")
        #expect(server.leftovers().isEmpty && server.jobFolders().isEmpty, "\(server.leftovers())")
        let text = try await server.upload(TestClips.text)
        #expect(text.status == 415, "a new worker takes the next upload: \(text.text)")
        #expect(server.process.isRunning)
    }

    @Test func aWorkerThatCrashesCostsOneRequestNotTheService() async throws {
        let server = try ServerFixture(environment: ["BIOMECH_SERVE_WORKER_FAULT": "crash"])
        let crashed = try await server.upload(TestClips.short)
        #expect(crashed.status == 500 && crashed.errorCode == "worker_crash", "\(crashed.text)")
        #expect(crashed.errorMessage.contains("signal 9"), "\(crashed.errorMessage)")
        #expect(server.leftovers().isEmpty && server.jobFolders().isEmpty, "\(server.leftovers())")
        let text = try await server.upload(TestClips.text)
        #expect(text.status == 415, "a new worker takes the next upload: \(text.text)")
        let metrics = try await server.get("/metrics")
        #expect(metrics.text.contains(#"biomech_serve_rejects_total{reason="worker_crash"} 1"#), "\(metrics.text)")
        #expect(server.process.isRunning)
    }

    @Test func aStartRemovesTheFoldersOfKilledServices() async throws {
        // A service killed with SIGKILL leaves its private folder; its pid is then no process's.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        var stale: URL?, live: URL?
        let server = try ServerFixture { work in
            stale = work.appendingPathComponent("biomech-serve-dead01")
            try FileManager.default.createDirectory(at: stale!.appendingPathComponent("0123456789abcdef"), withIntermediateDirectories: true)
            try Data("\(gone.processIdentifier)\n".utf8).write(to: stale!.appendingPathComponent("pid"))
            try Data("half an upload".utf8).write(to: stale!.appendingPathComponent("0123456789abcdef/upload.mp4"))
            // One whose service still runs (this test process) stays.
            live = work.appendingPathComponent("biomech-serve-live01")
            try FileManager.default.createDirectory(at: live!, withIntermediateDirectories: true)
            try Data("\(getpid())\n".utf8).write(to: live!.appendingPathComponent("pid"))
        }
        #expect(!FileManager.default.fileExists(atPath: stale!.path))
        #expect(FileManager.default.fileExists(atPath: live!.path))
        try FileManager.default.removeItem(at: live!)
        #expect(server.privateFolder != nil)
    }

    @Test func sigtermFinishesTheJobInFlightThenExits0() async throws {
        let server = try ServerFixture()
        let private_ = try #require(server.privateFolder)
        let inFlight = Task { try await server.upload(TestClips.short, to: "/analyze-form?exercise=jumping_jack") }
        try await server.waitForHealth { $0["running"] as? Int == 1 }
        kill(server.process.processIdentifier, SIGTERM)
        let answer = try await inFlight.value
        #expect(answer.status == 200, "\(answer.text)")
        #expect(try ReportSchema.problem(try server.folder.write("report.json", answer.body), in: server.folder) == nil)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0, "\(server.logText)")
        #expect(!FileManager.default.fileExists(atPath: private_.path), "the private folder is removed at exit")
        #expect(server.logText.contains("stopped"))
    }
}
