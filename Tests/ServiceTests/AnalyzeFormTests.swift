import AsyncHTTPClient
import BiomechCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// Uploads that succeed: the report in the answer, a raw body, a job with its annotated video.
@Suite(.serialized)
struct AnalyzeFormTests {
    init() throws { try MediaPipeFixture.requireDemoVideo() }

    @Test func theDemoVideoUploadAnswersASchemaValidReport() async throws {
        let server = try ServerFixture()
        let answer = try await server.upload(TestClips.demo, to: "/analyze-form?exercise=jumping_jacks&body_mass=80")
        #expect(answer.status == 200, "\(answer.text)")
        let report = try server.folder.write("report.json", answer.body)
        #expect(try ReportSchema.problem(report, in: server.folder) == nil)
        let json = try answer.json()
        let provenance = try #require(json["provenance"] as? [String: Any])
        #expect(provenance["input"] as? String == "demo.mp4", "the client's name for the file, not the private path")
        #expect(provenance["input_sha256"] as? String == (try FileDigest.sha256(ofFile: TestClips.demo.path).hex))
        #expect(provenance["frames_analysed"] as? Int == 230)
        #expect((json["exercise_type"] as? [String: Any])?["name"] as? String == "jumping_jack")
        #expect(server.leftovers().isEmpty && server.jobFolders().isEmpty, "\(server.leftovers()) \(server.jobFolders())")
        #expect(server.logText.contains("method=POST ") && server.logText.contains("path=/analyze-form status=200"), "one log line per request: \(server.logText)")
        try OpenAPICheck.expectValid(in: server.folder)
    }

    @Test func aRawVideoBodyIsAnalysedLikeAFormField() async throws {
        let server = try ServerFixture()
        let bytes = try Data(contentsOf: TestClips.short)
        let answer = try await server.send(.POST, "/analyze-form?exercise=jumping_jack", headers: [("Content-Type", "video/mp4")],
                                           body: .bytes(ByteBuffer(bytes: bytes)))
        #expect(answer.status == 200, "\(answer.text)")
        #expect(try answer.json()["format"] as? String == "biomech-report")
        #expect(server.leftovers().isEmpty && server.jobFolders().isEmpty)
        try OpenAPICheck.expectValid(in: server.folder)
    }

    @Test func anAnnotatedRequestBecomesAJobWithADownloadableVideo() async throws {
        let server = try ServerFixture()
        let started = try await server.upload(TestClips.short, to: "/analyze-form?annotated=true&exercise=jumping_jack")
        #expect(started.status == 202, "\(started.text)")
        let id = try #require(try started.json()["id"] as? String)
        #expect(started.headers.first(name: "Location") == "/jobs/\(id)")
        var job = try await server.get("/jobs/\(id)?wait=60").json()
        while job["status"] as? String == "queued" || job["status"] as? String == "running" {
            job = try await server.get("/jobs/\(id)?wait=60").json()
        }
        #expect(job["status"] as? String == "done", "\(job)")
        let links = try #require(job["links"] as? [String: String])
        #expect(links["annotated"] == "/jobs/\(id)/annotated.mp4" && links["summary"] == "/jobs/\(id)/summary.png")
        #expect((job["result"] as? [String: Any])?["format"] as? String == "biomech-report")

        let video = try await server.get("/jobs/\(id)/annotated.mp4")
        #expect(video.status == 200 && video.headers.first(name: "Content-Type") == "video/mp4")
        let file = try server.folder.write("annotated.mp4", video.body)
        let probe = try Tools.run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v", "-show_entries", "stream=codec_name,nb_read_frames",
                                              "-of", "compact=p=0", file.path])
        #expect(probe.stdout.contains("codec_name=h264") && probe.stdout.contains("nb_read_frames=75"), "\(probe.all)")
        let summary = try await server.get("/jobs/\(id)/summary.png")
        #expect(summary.status == 200 && summary.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let report = try await server.get("/jobs/\(id)/report.json")
        #expect(report.status == 200)
        #expect(try ReportSchema.problem(try server.folder.write("job-report.json", report.body), in: server.folder) == nil)

        // The upload is gone once the job ended; only its outputs stay, for --keep-results.
        #expect(server.leftovers().isEmpty, "\(server.leftovers())")
        #expect(server.jobFolders() == [id])
        try OpenAPICheck.expectValid(in: server.folder)
    }

    @Test func versionHealthMetricsAndTheDocumentAnswer() async throws {
        let server = try ServerFixture()
        let version = try await server.get("/version").json()
        let model = try #require(version["model"] as? [String: Any])
        let checkpoint = server.folder("model.ckpt")
        #expect(model["sha256"] as? String == (try FileDigest.sha256(ofFile: checkpoint.path).hex))
        #expect(version["version"] as? String == BiomechVersion.string)
        let health = try await server.get("/healthz").json()
        #expect(health["status"] as? String == "ok" && health["workers"] as? Int == 1 && health["capacity"] as? Int == 17)
        let document = try await server.get("/openapi.json")
        #expect(document.body == (try OpenAPICheck.document))
        _ = try await server.get("/jobs/0123456789abcdef")
        let metrics = try await server.get("/metrics")
        #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
        #expect(metrics.text.contains(#"biomech_serve_requests_total{route="/healthz",method="GET",status="200"} 1"#), "\(metrics.text)")
        #expect(metrics.text.contains(#"biomech_serve_rejects_total{reason="not_found"} 1"#), "\(metrics.text)")
        #expect(metrics.text.contains("biomech_serve_queue_depth_jobs 0"), "\(metrics.text)")
        try OpenAPICheck.expectValid(in: server.folder)
    }
}
