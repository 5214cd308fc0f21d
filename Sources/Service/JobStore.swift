import Foundation

/// The jobs the service knows: queued, running, and finished ones kept for a while for download.
///
/// Jobs live in memory and in their private folders: a restart forgets them (docs/SERVE.md).
actor JobStore {
    enum Status: String, Codable, Sendable { case queued, running, done, failed }

    /// One job as `GET /jobs/{id}` shows it (the report itself is read from its folder).
    struct Job: Sendable {
        let id: String
        let folder: URL
        var request: AnalysisRequest
        var status: Status = .queued
        let created = Date()
        var started: Date?
        var finished: Date?
        var outcome: AnalysisOutcome?

        var report: URL { folder.appendingPathComponent("report.json") }
        var annotated: URL { folder.appendingPathComponent("annotated.mp4") }
        var summary: URL { folder.appendingPathComponent("summary.png") }
    }

    private var jobs: [String: Job] = [:]
    /// Requests waiting for a job to finish (`GET /jobs/{id}?wait=S`), each with its own token.
    private var waiters: [String: [UUID: CheckedContinuation<Void, Never>]] = [:]
    /// Finished jobs are kept this many seconds, and at most `maxKept` of them.
    let keepSeconds: Double
    let maxKept: Int

    init(keepSeconds: Double, maxKept: Int) {
        self.keepSeconds = keepSeconds
        self.maxKept = maxKept
    }

    /// A new job's id: 16 random hex digits (not guessable, so one client cannot read another's).
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%016llx", generator.next() as UInt64)
    }

    func add(_ job: Job) {
        jobs[job.id] = job
        evict()
    }

    func job(_ id: String) -> Job? { jobs[id] }

    func started(_ id: String) {
        guard jobs[id]?.status == .queued else { return }
        jobs[id]?.status = .running
        jobs[id]?.started = Date()
    }

    func finished(_ id: String, _ outcome: AnalysisOutcome) {
        jobs[id]?.status = outcome.succeeded ? .done : .failed
        jobs[id]?.finished = Date()
        jobs[id]?.outcome = outcome
        for waiter in waiters.removeValue(forKey: id)?.values ?? [:].values { waiter.resume() }
        evict()
    }

    /// Returns when job `id` has finished, or after `seconds`, whichever comes first (a long poll).
    func wait(_ id: String, seconds: Double) async {
        guard let job = jobs[id], job.finished == nil, seconds > 0 else { return }
        let token = UUID()
        Task {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            self.wake(id, token)
        }
        await withCheckedContinuation { waiters[id, default: [:]][token] = $0 }
    }

    private func wake(_ id: String, _ token: UUID) {
        waiters[id]?.removeValue(forKey: token)?.resume()
    }

    /// Removes finished jobs past their time, and the oldest beyond `maxKept`, with their folders.
    func evict(now: Date = Date()) {
        let finished = jobs.values.filter { $0.finished != nil }.sorted { $0.finished! < $1.finished! }
        let excess = max(0, finished.count - maxKept)
        for (index, job) in finished.enumerated() where index < excess || now.timeIntervalSince(job.finished!) > keepSeconds {
            jobs[job.id] = nil
            try? FileManager.default.removeItem(at: job.folder)
        }
    }

    /// Removes every job's folder (at shutdown).
    func removeAll() {
        for waiter in waiters.values.flatMap(\.values) { waiter.resume() }
        waiters = [:]
        for job in jobs.values { try? FileManager.default.removeItem(at: job.folder) }
        jobs = [:]
    }
}
