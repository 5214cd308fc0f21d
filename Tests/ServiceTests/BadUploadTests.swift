import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TestSupport

/// Hostile and broken uploads: each gets its status and a JSON message, the process lives on, no file stays.
@Suite(.serialized)
struct BadUploadTests {
    init() throws { try MediaPipeFixture.requireDemoVideo() }

    /// A service with a 1 MiB cap; `idle` is how long a client may pause mid-upload.
    func server(idle: String = "10m") throws -> ServerFixture { try ServerFixture(["--max-upload", "1M", "--upload-idle", idle]) }

    func expectClean(_ server: ServerFixture, _ what: String) {
        #expect(server.leftovers().isEmpty && server.jobFolders().isEmpty, "after \(what): \(server.leftovers()) \(server.jobFolders())")
    }

    @Test func filesThatAreNotVideosGet415() async throws {
        let server = try server()
        let text = try await server.upload(TestClips.text)
        #expect(text.status == 415 && text.errorCode == "not_a_video", "\(text.text)")
        #expect(text.errorMessage.hasPrefix("notes.mp4: "), "names the file: \(text.errorMessage)")
        expectClean(server, "a text file named .mp4")
        let plain = try await server.send(.POST, "/analyze-form", headers: [("Content-Type", "text/plain")], body: .bytes(ByteBuffer(string: "hello")))
        #expect(plain.status == 415 && plain.errorMessage.contains("multipart/form-data"), "\(plain.text)")
        expectClean(server, "a text/plain body")
        #expect(server.process.isRunning)
        try OpenAPICheck.expectValid(in: server.folder)
    }

    @Test func videosWithNothingToAnalyseGet422() async throws {
        let server = try server()
        let cut = try await server.upload(TestClips.truncated)
        #expect(cut.status == 422 && cut.errorCode == "damaged_video", "\(cut.text)")
        #expect(cut.errorMessage.contains("cut.mp4") && cut.errorMessage.contains("of the 230 frames"), "\(cut.errorMessage)")
        expectClean(server, "a truncated video")
        let nobody = try await server.upload(TestClips.nobody)
        #expect(nobody.status == 422 && nobody.errorCode == "no_person", "\(nobody.text)")
        expectClean(server, "a video of nobody")
        let short = try await server.upload(TestClips.tooShort)
        #expect(short.status == 422 && short.errorCode == "too_short", "\(short.text)")
        #expect(short.errorMessage.contains("shorter than one window"), "\(short.errorMessage)")
        expectClean(server, "a one-second video")
        try OpenAPICheck.expectValid(in: server.folder)
    }

    @Test func malformedFormsGet400() async throws {
        let server = try server()
        let noField = try await server.upload(TestClips.short, field: "file")
        #expect(noField.status == 400 && noField.errorCode == "no_video_field", "\(noField.text)")
        expectClean(server, "a form with no video field")
        let body = "--XYZ\r\nContent-Disposition: form-data; name=\"video\"; filename=\"a.mp4\"\r\n\r\nnot all of it"
        let cut = try await server.send(.POST, "/analyze-form", headers: [("Content-Type", "multipart/form-data; boundary=XYZ")],
                                        body: .bytes(ByteBuffer(string: body)))
        #expect(cut.status == 400 && cut.errorCode == "malformed_multipart" && cut.errorMessage.contains("closing boundary"), "\(cut.text)")
        expectClean(server, "a form cut before its closing boundary")
        // A byte MultipartKit 4.7.1 would trap on (a non-ASCII header name): refused, and the service lives.
        let hostile = Data("--XYZ\r\nContent-\u{FF}Disposition: form-data; name=\"video\"\r\n\r\nxx\r\n--XYZ--\r\n".utf8)
        let trap = try await server.send(.POST, "/analyze-form", headers: [("Content-Type", "multipart/form-data; boundary=XYZ")],
                                         body: .bytes(ByteBuffer(bytes: hostile)))
        #expect(trap.status == 400 && trap.errorMessage.contains("header name"), "\(trap.text)")
        #expect(server.process.isRunning)
        expectClean(server, "a form with a non-ASCII header name")
        let noBoundary = try await server.send(.POST, "/analyze-form", headers: [("Content-Type", "multipart/form-data")],
                                               body: .bytes(ByteBuffer(string: body)))
        #expect(noBoundary.status == 400 && noBoundary.errorMessage.contains("boundary"), "\(noBoundary.text)")
        let unknown = try await server.upload(TestClips.short, to: "/analyze-form?bodymass=80")
        #expect(unknown.status == 400 && unknown.errorCode == "unknown_parameter" && unknown.errorMessage.contains("body_mass"), "\(unknown.text)")
        let exercise = try await server.upload(TestClips.short, fields: [("exercise", "yoga")])
        #expect(exercise.status == 400 && exercise.errorMessage.contains("form field exercise 'yoga'"), "\(exercise.text)")
        expectClean(server, "bad parameters")
        try OpenAPICheck.expectValid(in: server.folder)
    }

    @Test func uploadsPastTheCapGet413() async throws {
        let server = try server()
        // Declared too large: refused from its Content-Length, before any of it is read.
        let declared = try await server.upload(TestClips.demo)
        #expect(declared.status == 413 && declared.errorCode == "too_large", "\(declared.text)")
        expectClean(server, "an upload declared too large")
        // Sent without a length (chunked): refused once the bytes pass the cap.
        let bytes = try Data(contentsOf: TestClips.demo)
        let chunks = stride(from: 0, to: bytes.count, by: 65536).map { ByteBuffer(bytes: bytes[$0..<min($0 + 65536, bytes.count)]) }
        let chunked = try await server.send(.POST, "/analyze-form", headers: [("Content-Type", "video/mp4")],
                                            body: .stream(AsyncStream { for chunk in chunks { $0.yield(chunk) }; $0.finish() }, length: .unknown))
        #expect(chunked.status == 413 && chunked.errorMessage.contains("passed 1.0 MiB"), "\(chunked.text)")
        expectClean(server, "a chunked upload past the cap")
        try OpenAPICheck.expectValid(in: server.folder)
    }

    @Test func aClientThatStopsSendingGets408() async throws {
        let server = try server(idle: "1s")
        let connection = try RawConnection(port: server.port)
        try connection.send(Data("POST /analyze-form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: video/mp4\r\nContent-Length: 500000\r\n\r\n".utf8))
        try connection.send(Data(repeating: 0, count: 10_000))
        let (status, body) = try connection.readAnswer()
        #expect(status == 408 && body.contains("upload_stalled"), "\(status) \(body)")
        expectClean(server, "a stalled upload")
        #expect(server.process.isRunning)
        let health = try await server.get("/healthz")
        #expect(health.status == 200)
    }

    @Test func unknownJobsAndRoutesGet404() async throws {
        let server = try server()
        let job = try await server.get("/jobs/00000000deadbeef")
        #expect(job.status == 404 && job.errorCode == "not_found" && job.errorMessage.contains("00000000deadbeef"), "\(job.text)")
        let video = try await server.get("/jobs/00000000deadbeef/annotated.mp4")
        #expect(video.status == 404 && video.errorCode == "not_found")
        let route = try await server.send(.GET, "/analyse", record: false)
        #expect(route.status == 404 && route.errorCode == "no_route", "\(route.text)")
        try OpenAPICheck.expectValid(in: server.folder)
    }
}
