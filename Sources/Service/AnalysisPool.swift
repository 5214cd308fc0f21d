import BiomechCore
import Dispatch
import Foundation
import Synchronization

/// N analysis worker processes behind one bounded queue; each worker is driven by its own thread.
///
/// Pose estimation and the model are CPU-bound and may crash on hostile input, so they never run
/// on the event loop or in the service's process. Capacity is counted in tickets: one is taken
/// before an upload is read and given back when its job ends, so uploads in flight, queued jobs and
/// running jobs together never exceed `slots + queueLimit`, whatever the number of requests.
final class AnalysisPool: Sendable {
    let slots: Int
    let queueLimit: Int
    private let command: [String]
    private let logFolder: URL

    /// A place in the service; released once, when the job ends or the request fails (or on deinit).
    final class Ticket: Sendable {
        private let pool: AnalysisPool
        private let released = Atomic<Bool>(false)
        init(pool: AnalysisPool) { self.pool = pool }
        func release() {
            guard !released.exchange(true, ordering: .sequentiallyConsistent) else { return }
            pool.giveBack()
        }
        deinit { release() }
    }

    /// What the service reads for /healthz and /metrics.
    struct Snapshot: Sendable {
        var admitted = 0, queued = 0, running = 0, readyWorkers = 0
        var stopping = false
    }

    private struct Pending: Sendable {
        var request: AnalysisRequest
        /// `ProcessInfo.systemUptime` after which the job is not worth starting.
        var deadline: Double
        var started: @Sendable () -> Void
        var finish: CheckedContinuation<AnalysisOutcome, Never>
    }

    private struct State: Sendable {
        var queue: [Pending] = []
        var snapshot = Snapshot()
        var recentSeconds: [Double] = []
        var drained: [CheckedContinuation<Void, Never>] = []
        var networkNotIsolated: String?
    }
    private let state = Mutex(State())
    private let work = DispatchSemaphore(value: 0)
    private let threads = DispatchGroup()

    /// `command` starts one worker (`biomech-serve worker ...`); its standard error goes to a log in `logFolder`.
    init(slots: Int, queueLimit: Int, command: [String], logFolder: URL) {
        self.slots = slots
        self.queueLimit = queueLimit
        self.command = command
        self.logFolder = logFolder
    }

    var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// Why MediaPipe's telemetry is not cut off in the workers, when it is not.
    var networkNotIsolated: String? { state.withLock { $0.networkNotIsolated } }

    /// Starts the threads of every slot, and waits until the first worker is ready (so a bad
    /// checkpoint stops the service before it listens).
    ///
    /// Workers are started from their slot's own thread, which lives as long as the pool: the
    /// kernel's parent-death signal (the worker dies with its parent) follows the thread that
    /// started the process, and the cooperative pool's threads come and go.
    func start() throws {
        let first = DispatchSemaphore(value: 0)
        let failure = Mutex<StartError?>(nil)
        for slot in 0..<slots {
            threads.enter()
            let thread = Thread { [self] in
                var worker: WorkerProcess?
                if slot == 0 {
                    do { worker = try launch(slot: 0) } catch { failure.withLock { $0 = error as? StartError ?? StartError(message: "\(error)", exitCode: 1) } }
                    first.signal()
                }
                drive(slot: slot, worker: worker)
                threads.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        first.wait()
        if let error = failure.withLock({ $0 }) {
            state.withLock { $0.snapshot.stopping = true }
            for _ in 0..<slots { work.signal() }
            throw error
        }
    }

    /// A ticket when there is room, nil when uploads, queue and workers are all taken.
    func admit() -> Ticket? {
        let admitted = state.withLock { s -> Bool in
            guard !s.snapshot.stopping, s.snapshot.admitted < slots + queueLimit else { return false }
            s.snapshot.admitted += 1
            return true
        }
        return admitted ? Ticket(pool: self) : nil
    }

    /// Seconds a rejected client should wait: the recent mean job time times the work ahead per worker.
    func retryAfter() -> Int {
        state.withLock { s in
            let mean = s.recentSeconds.isEmpty ? 5 : s.recentSeconds.reduce(0, +) / Double(s.recentSeconds.count)
            let ahead = Double(s.snapshot.queued + s.snapshot.running) / Double(slots)
            return min(600, max(1, Int((mean * max(1, ahead)).rounded(.up))))
        }
    }

    /// Queues `request` and waits for its outcome; the outcome comes by `deadline` (uptime seconds) at
    /// the latest, as a 504 when the job had to be killed or never started in time.
    func analyse(_ request: AnalysisRequest, deadline: Double, started: @escaping @Sendable () -> Void = {}) async -> AnalysisOutcome {
        await withCheckedContinuation { continuation in
            state.withLock { s in
                s.queue.append(Pending(request: request, deadline: deadline, started: started, finish: continuation))
                s.snapshot.queued += 1
            }
            work.signal()
        }
    }

    /// Graceful shutdown: takes no new tickets, waits for every admitted job to end, then stops the workers.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                s.snapshot.stopping = true
                if s.snapshot.admitted == 0 { return true }
                s.drained.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        for _ in 0..<slots { work.signal() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            threads.notify(queue: .global()) { continuation.resume() }
        }
    }

    private func giveBack() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.snapshot.admitted -= 1
            guard s.snapshot.stopping, s.snapshot.admitted == 0 else { return [] }
            defer { s.drained = [] }
            return s.drained
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - The slot threads

    private func drive(slot: Int, worker first: WorkerProcess?) {
        var worker = first
        defer {
            if let worker { stop(worker) }
        }
        while true {
            work.wait()
            let next = state.withLock { s -> Pending? in
                guard !s.queue.isEmpty else { return nil }
                s.snapshot.queued -= 1
                return s.queue.removeFirst()
            }
            guard let job = next else {
                if snapshot.stopping { return }
                continue
            }
            let remaining = job.deadline - ProcessInfo.processInfo.systemUptime
            guard remaining > 0 else {
                job.finish.resume(returning: .failed(.deadline("the request's deadline passed while it waited in the queue; try again later or use POST /jobs")))
                continue
            }
            if worker == nil {
                do { worker = try launch(slot: slot) } catch {
                    job.finish.resume(returning: .failed(.internal("the analysis worker cannot start: \(error)")))
                    continue
                }
            }
            state.withLock { $0.snapshot.running += 1 }
            job.started()
            let (outcome, keep) = run(job.request, on: worker!, within: remaining)
            state.withLock { s in
                s.snapshot.running -= 1
                if outcome.succeeded {
                    s.recentSeconds.append(outcome.seconds)
                    if s.recentSeconds.count > 20 { s.recentSeconds.removeFirst() }
                }
            }
            if !keep { worker = nil }
            job.finish.resume(returning: outcome)
        }
    }

    /// Runs one request on `worker`, killing it at the deadline; `keep` is false when the worker is gone.
    private func run(_ request: AnalysisRequest, on worker: WorkerProcess, within seconds: Double) -> (AnalysisOutcome, keep: Bool) {
        let logStart = worker.logSize
        let watch = Watch()
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            if !watch.done.load(ordering: .sequentiallyConsistent) {
                watch.fired.store(true, ordering: .sequentiallyConsistent)
                worker.kill()
            }
        }
        var outcome: AnalysisOutcome?
        if worker.channel.send(ServeParentMessage.analyse(request)) {
            if case .done(let result) = try? worker.channel.receive(ServeWorkerMessage.self) { outcome = result }
        }
        watch.done.store(true, ordering: .sequentiallyConsistent)
        if let outcome, !watch.fired.load(ordering: .sequentiallyConsistent) {
            // A worker's log grows a few lines a video: start a fresh one now and then.
            if worker.logSize > 8 << 20 { stop(worker); return (outcome, false) }
            return (outcome, true)
        }
        let how = worker.finish()
        let words = worker.logTail(since: logStart)
        worker.removeLog()
        state.withLock { $0.snapshot.readyWorkers -= 1 }
        if watch.fired.load(ordering: .sequentiallyConsistent) {
            return (.failed(.deadline(String(format: "the analysis did not finish within the request's deadline (%.0f s left when it started); "
                                                + "send a shorter video, or use POST /jobs", seconds)), seconds: seconds), false)
        }
        return (.failed(ServiceError(.internalServerError, "worker_crash", "the analysis worker \(how) on this upload; the service goes on"
                                         + (words.isEmpty ? "" : " (it last printed: \(words))"))), false)
    }

    private final class Watch: Sendable {
        let done = Atomic<Bool>(false)
        let fired = Atomic<Bool>(false)
    }

    /// Starts a worker and waits for its hello; throws (with the worker's words) when it cannot start.
    private func launch(slot: Int) throws -> WorkerProcess {
        let log = logFolder.appendingPathComponent("worker-\(slot)-\(UUID().uuidString.prefix(8)).log")
        let worker = try WorkerProcess(command: command, log: log)
        switch try? worker.channel.receive(ServeWorkerMessage.self) {
        case .ready(let network):
            state.withLock { s in
                s.snapshot.readyWorkers += 1
                s.networkNotIsolated = network
            }
            return worker
        case .fatal(let text, let code):
            _ = worker.finish()
            worker.removeLog()
            throw StartError(message: text, exitCode: code)
        default:
            let how = worker.finish()
            let words = worker.logTail(since: 0)
            worker.removeLog()
            throw StartError(message: "the analysis worker \(how) before it was ready: \(words)", exitCode: ExitStatus.failure)
        }
    }

    private func stop(_ worker: WorkerProcess) {
        worker.channel.send(ServeParentMessage.stop)
        _ = worker.finish()
        worker.removeLog()
        state.withLock { $0.snapshot.readyWorkers -= 1 }
    }

    /// A worker that cannot start: a bad checkpoint or missing setup (2), or a crash (1).
    struct StartError: BiomechError {
        var message: String
        var exitCode: Int32
        var description: String { message }
    }
}
