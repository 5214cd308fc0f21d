import Analysis
import BiomechCore
import Foundation
import Hummingbird

/// The service's endpoints (docs/SERVE.md, and `GET /openapi.json`).
struct ServiceRoutes: Sendable {
    typealias Context = BasicRequestContext
    let options: ServeOptions
    let pool: AnalysisPool
    let jobs: JobStore
    let metrics: ServiceMetrics
    let model: ModelFacts
    /// The service's private folder: one subfolder per job.
    let folder: URL

    /// What `/version` says about the checkpoint.
    struct ModelFacts: Codable, Sendable {
        var path: String, sha256: String, step: Int, window: Int, classes: [String]
    }

    func add(to router: Router<Context>) {
        router.get("/healthz") { _, _ in try health() }
        router.get("/version") { _, _ in try json(Version(tool: "biomech-serve", version: BiomechVersion.string, model: model)) }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.text(pool.snapshot))))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
        }
        router.post("/analyze-form") { request, _ in try await analyzeForm(request) }
        router.post("/jobs") { request, _ in try await startJob(request, annotatedByDefault: false) }
        router.get("/jobs/{id}") { request, context in
            let id = try await job(context).id
            if let text = request.uri.queryParameters["wait"] {
                guard let seconds = Double(text), seconds.isFinite, (0...60).contains(seconds) else {
                    throw ServiceError.badRequest("bad_parameter", "query parameter wait '\(text)': expected seconds from 0 to 60")
                }
                await jobs.wait(id, seconds: seconds)
            }
            return try json(JobView(try await job(context)))
        }
        router.get("/jobs/{id}/report.json") { _, context in try await file(try await job(context), .report, context) }
        router.get("/jobs/{id}/annotated.mp4") { _, context in try await file(try await job(context), .annotated, context) }
        router.get("/jobs/{id}/summary.png") { _, context in try await file(try await job(context), .summary, context) }
    }

    struct Version: Codable { var tool: String, version: String, model: ModelFacts }

    struct Health: Codable {
        var status: String
        var workers: Int, workersReady: Int, queued: Int, running: Int, admitted: Int, capacity: Int
        enum CodingKeys: String, CodingKey {
            case status, workers, queued, running, admitted, capacity
            case workersReady = "workers_ready"
        }
    }

    func health() throws -> Response {
        let s = pool.snapshot
        let status = s.stopping ? "stopping" : "ok"
        let body = Health(status: status, workers: pool.slots, workersReady: s.readyWorkers, queued: s.queued, running: s.running,
                          admitted: s.admitted, capacity: pool.slots + pool.queueLimit)
        return try json(body, status: s.stopping ? .serviceUnavailable : .ok)
    }

    /// `POST /analyze-form`: the report in the answer; with `annotated=true`, a job (202) to fetch it from.
    func analyzeForm(_ request: Request) async throws -> Response {
        let accepted = try await accept(request, annotatedByDefault: false)
        if accepted.job.request.annotated { return try await start(accepted) }
        defer {
            try? FileManager.default.removeItem(at: accepted.job.folder)
            accepted.ticket.release()
        }
        let outcome = await pool.analyse(accepted.job.request, deadline: accepted.deadline)
        metrics.analysis(status: outcome.status, seconds: outcome.seconds)
        guard outcome.succeeded else { throw ServiceError(outcome) }
        let report = try Data(contentsOf: accepted.job.report)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: report)))
    }

    /// `POST /jobs`: a job for the upload (202); its summary picture always, its annotated video when asked.
    func startJob(_ request: Request, annotatedByDefault: Bool) async throws -> Response {
        try await start(try await accept(request, annotatedByDefault: annotatedByDefault))
    }

    private struct Accepted: Sendable {
        var ticket: AnalysisPool.Ticket
        var job: JobStore.Job
        var deadline: Double
    }

    /// Checks the parameters, takes a place, and stores the upload in a new job folder.
    private func accept(_ request: Request, annotatedByDefault: Bool) async throws -> Accepted {
        let arrival = ProcessInfo.processInfo.systemUptime
        var parameters = AnalysisParameters()
        parameters.annotated = annotatedByDefault
        try parameters.read(Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { $1 }),
                            from: "query parameter")
        guard let ticket = pool.admit() else {
            if pool.snapshot.stopping { throw ServiceError(.serviceUnavailable, "shutting_down", "the service is shutting down", retryAfter: 5) }
            throw ServiceError(.serviceUnavailable, "queue_full",
                               "all \(pool.slots) workers are busy and the queue of \(pool.queueLimit) is full; retry after the Retry-After seconds",
                               retryAfter: pool.retryAfter())
        }
        let id = JobStore.newID()
        let jobFolder = folder.appendingPathComponent(id)
        do {
            try FileManager.default.createDirectory(at: jobFolder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let receiver = UploadReceiver(maxBytes: options.maxUpload, idleSeconds: options.uploadIdle)
            let upload = try await receiver.receive(request, into: jobFolder, deadline: arrival + options.deadline)
            try parameters.read(upload.fields, from: "form field")
            var analysis = AnalysisRequest(video: upload.file.path, name: upload.name, folder: jobFolder.path, maxDuration: options.maxDuration)
            analysis.exercise = parameters.exercise
            analysis.bodyMass = parameters.bodyMass
            analysis.load = parameters.load
            analysis.annotated = parameters.annotated
            return Accepted(ticket: ticket, job: JobStore.Job(id: id, folder: jobFolder, request: analysis), deadline: arrival + options.deadline)
        } catch {
            try? FileManager.default.removeItem(at: jobFolder)
            ticket.release()
            throw error
        }
    }

    /// Hands an accepted upload to the pool in the background and answers 202 with the job.
    private func start(_ accepted: Accepted) async throws -> Response {
        var started = accepted.job
        started.request.summary = true
        let job = started
        await jobs.add(job)
        let (pool, jobs, metrics) = (self.pool, self.jobs, self.metrics)
        // Jobs get the whole deadline from the end of the upload: polling clients are not waiting on a socket.
        let deadline = ProcessInfo.processInfo.systemUptime + options.deadline
        Task {
            let outcome = await pool.analyse(job.request, deadline: deadline) { Task { await jobs.started(job.id) } }
            metrics.analysis(status: outcome.status, seconds: outcome.seconds)
            try? FileManager.default.removeItem(atPath: job.request.video)
            await jobs.finished(job.id, outcome)
            accepted.ticket.release()
        }
        var response = try json(JobView(job), status: .accepted)
        response.headers[.location] = "/jobs/\(job.id)"
        return response
    }

    private func job(_ context: Context) async throws -> JobStore.Job {
        let id = try context.parameters.require("id")
        guard let job = await jobs.job(id) else {
            throw ServiceError.notFound("no job '\(id)': it never existed, or it finished more than \(Int(options.keepResults)) s ago (--keep-results)")
        }
        return job
    }

    enum Part { case report, annotated, summary }

    private func file(_ job: JobStore.Job, _ part: Part, _ context: Context) async throws -> Response {
        switch job.status {
        case .queued, .running:
            throw ServiceError(.conflict, "not_ready", "job \(job.id) is \(job.status.rawValue); poll GET /jobs/\(job.id) until it is done")
        case .failed:
            throw ServiceError(.conflict, "job_failed", "job \(job.id) failed: \(job.outcome?.message ?? "")")
        case .done: break
        }
        let (url, type): (URL, String)
        switch part {
        case .report: (url, type) = (job.report, "application/json")
        case .summary: (url, type) = (job.summary, "image/png")
        case .annotated:
            guard job.request.annotated else {
                throw ServiceError.notFound("job \(job.id) was not asked for an annotated video: send annotated=true with the upload")
            }
            (url, type) = (job.annotated, "video/mp4")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        let body = try await FileIO().loadFile(path: url.path, context: context)
        return Response(status: .ok, headers: [.contentType: type, .contentLength: "\(size)"], body: body)
    }

    func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSONOutput.data(value))))
    }
}

extension ServiceError {
    /// The error a failed analysis answers with.
    init(_ outcome: AnalysisOutcome) {
        self.init(HTTPResponse.Status(code: outcome.status), outcome.code ?? "failed", outcome.message ?? "the analysis failed")
    }
}
