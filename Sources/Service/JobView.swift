import Analysis
import Foundation

/// A job as `POST /jobs` and `GET /jobs/{id}` show it: its status, its links, then its result.
struct JobView: Codable, Sendable {
    var id: String
    var status: JobStore.Status
    var created: String
    var started: String?
    var finished: String?
    /// Worker seconds, once finished.
    var seconds: Double?
    /// Where its parts are: `self`, and once done `report`, `summary` and (when asked for) `annotated`.
    var links: [String: String]
    /// The report (docs/REPORT.md), once done.
    var result: Report?
    /// Why it failed, once failed.
    var error: ServiceError.Body.Detail?

    init(_ job: JobStore.Job) {
        let iso = ISO8601DateFormatter()
        id = job.id
        status = job.status
        created = iso.string(from: job.created)
        started = job.started.map(iso.string(from:))
        finished = job.finished.map(iso.string(from:))
        seconds = job.outcome.map { ($0.seconds * 1000).rounded() / 1000 }
        links = ["self": "/jobs/\(job.id)"]
        if job.status == .done {
            links["report"] = "/jobs/\(job.id)/report.json"
            if job.request.summary { links["summary"] = "/jobs/\(job.id)/summary.png" }
            if job.request.annotated { links["annotated"] = "/jobs/\(job.id)/annotated.mp4" }
            result = try? JSONDecoder().decode(Report.self, from: Data(contentsOf: job.report))
        }
        if let outcome = job.outcome, !outcome.succeeded {
            error = .init(code: outcome.code ?? "failed", message: outcome.message ?? "", status: outcome.status)
        }
    }
}
