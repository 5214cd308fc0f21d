import BiomechCore
import Dispatch
import Foundation
import Synchronization

/// N worker processes fed from one queue of jobs; each runs on its own thread in the parent.
///
/// A worker that dies takes only its current job with it (reported as a `worker_crash` outcome)
/// and is started again for the next job. Events go to the one thread that calls `next()`, which
/// owns the catalog.
final class WorkerPool: Sendable {
    enum Event: Sendable {
        case ready(slot: Int, networkNotIsolated: String?)
        case started(slot: Int, job: ExtractJob)
        case progress(slot: Int, frames: Int)
        case finished(slot: Int, job: ExtractJob, outcome: ExtractOutcome)
        /// The run was stopping and the worker was killed: the job is left for the next run.
        case abandoned(slot: Int, job: ExtractJob)
        /// A worker cannot work at all (missing setup, a full disk): the run stops.
        case fatal(message: String, exitCode: Int32)
        case slotEnded(slot: Int)
    }

    private let jobs: [ExtractJob]
    private let command: [String]
    private let logFolder: URL
    private let nextJob = Mutex(0)
    private let stopping = Atomic<Bool>(false)
    private let events = Mutex<[Event]>([])
    private let signal = DispatchSemaphore(value: 0)
    private let live = Mutex<[Int: WorkerProcess]>([:])
    let slots: Int

    /// `command` starts one worker; its standard error goes to a log in `logFolder`.
    init(jobs: [ExtractJob], slots: Int, command: [String], logFolder: URL) {
        self.jobs = jobs
        self.slots = max(1, min(slots, jobs.count))
        self.command = command
        self.logFolder = logFolder
    }

    func start() {
        for slot in 0..<slots {
            let thread = Thread { [self] in drive(slot) }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Waits for the next event.
    func next() -> Event {
        while true {
            signal.wait()
            if let event = events.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return event }
        }
    }

    /// Hands out no more jobs and kills the running workers; their jobs come back as `abandoned`.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        live.withLock { workers in for worker in workers.values { worker.kill() } }
    }

    var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    private func post(_ event: Event) {
        events.withLock { $0.append(event) }
        signal.signal()
    }

    /// Reports a failure that ends the run, and stops.
    private func fail(_ message: String, _ code: Int32) {
        post(.fatal(message: message, exitCode: code))
        stop()
    }

    private func take() -> ExtractJob? {
        guard !isStopping else { return nil }
        return nextJob.withLock { index in
            guard index < jobs.count else { return nil }
            defer { index += 1 }
            return jobs[index]
        }
    }

    private func drive(_ slot: Int) {
        var worker: WorkerProcess?
        defer {
            if let worker {
                worker.channel.send(ParentMessage.stop)
                _ = worker.finish()
                worker.removeLog()
            }
            live.withLock { _ = $0.removeValue(forKey: slot) }
            post(.slotEnded(slot: slot))
        }
        while let job = take() {
            if worker == nil {
                guard let started = launch(slot) else { return }
                worker = started
            }
            guard let current = worker else { return }
            let logStart = current.logSize
            post(.started(slot: slot, job: job))
            var outcome: ExtractOutcome?
            if current.channel.send(ParentMessage.job(job)) {
                while let message = try? current.channel.receive(WorkerMessage.self) {
                    if case .progress(let frames) = message { post(.progress(slot: slot, frames: frames)); continue }
                    if case .done(let result) = message { outcome = result }
                    if case .fatal(let text, let code) = message { fail(text, code) }
                    break
                }
            }
            if let outcome {
                post(.finished(slot: slot, job: job, outcome: outcome))
                continue
            }
            // The worker died (or said it cannot go on): this job fails, the next gets a new worker.
            let how = current.finish()
            let words = current.logTail(since: logStart)
            current.removeLog()
            live.withLock { _ = $0.removeValue(forKey: slot) }
            worker = nil
            if isStopping {
                post(.abandoned(slot: slot, job: job))
            } else {
                post(.finished(slot: slot, job: job, outcome: .failed(.workerCrash, "the worker process \(how) during this video"
                                                                       + (words.isEmpty ? "" : "; it last printed: \(words)"))))
            }
        }
    }

    /// Starts a worker and waits for its hello; nil (after posting why) when it cannot start.
    private func launch(_ slot: Int) -> WorkerProcess? {
        let log = logFolder.appendingPathComponent("worker-\(slot)-\(UUID().uuidString.prefix(8)).log")
        let worker: WorkerProcess
        do { worker = try WorkerProcess(command: command, log: log) } catch {
            fail("cannot start the worker \(command[0]): \(error)", ExitStatus.failure)
            return nil
        }
        live.withLock { $0[slot] = worker }
        if isStopping { worker.kill() }
        switch try? worker.channel.receive(WorkerMessage.self) {
        case .ready(let network):
            post(.ready(slot: slot, networkNotIsolated: network))
            return worker
        case .fatal(let text, let code):
            fail(text, code)
            _ = worker.finish()
        default:
            let how = worker.finish()
            if !isStopping { fail("the worker \(how) before it was ready: \(worker.logTail(since: 0))", ExitStatus.failure) }
        }
        live.withLock { _ = $0.removeValue(forKey: slot) }
        worker.removeLog()
        return nil
    }
}
