#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of threads that run the parts of one parallel phase of a training step.
///
/// The model parallelises itself (frame chunks, the two LSTM directions, parameter ranges) and
/// keeps OpenBLAS single-threaded inside each part: small GEMMs such as the LSTM's per-step
/// `[B, H] x [H, 4H]` scale poorly inside BLAS, and BLAS threads spin between calls. Task `i` of a
/// phase always runs on thread `i % size`, in increasing order, so results do not depend on timing.
public final class WorkerPool: @unchecked Sendable {
    /// Threads, counting the caller (which runs tasks 0, size, 2 * size, ...).
    public let size: Int
    private let shared: Shared
    private var threads: [pthread_t] = []

    public init(size: Int) {
        self.size = max(1, size)
        shared = Shared(size: self.size)
        for index in 1..<self.size {
            let context = Unmanaged.passRetained(Worker(shared: shared, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                Unmanaged<Worker>.fromOpaque(raw!).takeRetainedValue().loop()
                return nil
            }, context)
            precondition(status == 0, "pthread_create failed (\(status))")
            threads.append(thread)
        }
    }

    deinit {
        shared.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// Runs `body(0) ... body(count - 1)` across the threads and returns when all have finished.
    public func run(tasks count: Int, _ body: (Int) -> Void) {
        guard size > 1, count > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            shared.start(body, tasks: count)
            for i in stride(from: 0, to: count, by: size) { body(i) }
            shared.wait()
        }
    }

    /// Splits `0..<count` into one contiguous range per thread (the same split every time).
    public func ranges(_ count: Int) -> [Range<Int>] {
        let parts = min(size, max(1, count))
        return (0..<parts).map { p in (count * p / parts)..<(count * (p + 1) / parts) }
    }
}

/// The state the caller and the workers share, guarded by one mutex.
private final class Shared: @unchecked Sendable {
    let size: Int
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let started = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    var generation = 0, pending = 0, tasks = 0, stopping = false
    var job: ((Int) -> Void)?

    init(size: Int) {
        self.size = size
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(started, nil)
        pthread_cond_init(finished, nil)
    }

    deinit {
        pthread_cond_destroy(started); pthread_cond_destroy(finished); pthread_mutex_destroy(mutex)
        started.deallocate(); finished.deallocate(); mutex.deallocate()
    }

    func start(_ body: @escaping (Int) -> Void, tasks count: Int) {
        pthread_mutex_lock(mutex)
        job = body
        tasks = count
        pending = size - 1
        generation += 1
        pthread_cond_broadcast(started)
        pthread_mutex_unlock(mutex)
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while pending > 0 { pthread_cond_wait(finished, mutex) }
        job = nil
        pthread_mutex_unlock(mutex)
    }

    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(started)
        pthread_mutex_unlock(mutex)
    }
}

/// One worker thread: waits for a phase, runs its tasks, reports back.
private final class Worker {
    let shared: Shared, index: Int
    init(shared: Shared, index: Int) { self.shared = shared; self.index = index }

    func loop() {
        var seen = 0
        while true {
            pthread_mutex_lock(shared.mutex)
            while shared.generation == seen && !shared.stopping { pthread_cond_wait(shared.started, shared.mutex) }
            if shared.stopping { pthread_mutex_unlock(shared.mutex); return }
            seen = shared.generation
            var body = shared.job
            let count = shared.tasks
            pthread_mutex_unlock(shared.mutex)
            for i in stride(from: index, to: count, by: shared.size) { body!(i) }
            body = nil   // the caller's closure must not outlive its phase
            pthread_mutex_lock(shared.mutex)
            shared.pending -= 1
            if shared.pending == 0 { pthread_cond_signal(shared.finished) }
            pthread_mutex_unlock(shared.mutex)
        }
    }
}
