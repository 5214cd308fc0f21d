import Foundation
import Synchronization

/// Runs blocking work (network transfers, subprocesses) on a few threads.
///
/// Swift's cooperative pool has one thread per core and must not block, so blocking work
/// (libcurl, yt-dlp) gets its own threads instead.
public enum Parallel {
    /// Calls `body` for every element on up to `jobs` threads and returns the results in order.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ body: @escaping @Sendable (T) -> R) -> [R] {
        let results = LockedArray<R?>(repeating: nil, count: items.count)
        let next = AtomicCounter()
        let workers = max(1, min(jobs, items.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while case let index = next.increment() - 1, index < items.count {
                    results[index] = body(items[index])
                }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        return results.values.map { $0! }
    }
}

/// A counting semaphore shared by nested `Parallel.map`s, bounding the total work under way.
public final class Limiter: Sendable {
    private let semaphore: DispatchSemaphore
    public init(_ slots: Int) { semaphore = DispatchSemaphore(value: max(1, slots)) }

    /// Runs `body` while holding one slot.
    public func run<R>(_ body: () throws -> R) rethrows -> R {
        semaphore.wait()
        defer { semaphore.signal() }
        return try body()
    }
}

/// A thread-safe counter (work indices, "clip 12/300" progress lines).
public final class AtomicCounter: Sendable {
    private let value = Atomic<Int>(0)
    public init() {}
    /// Adds one and returns the new value.
    public func increment() -> Int { value.add(1, ordering: .relaxed).newValue }
}

/// Results filled in by many threads, one slot each.
final class LockedArray<T: Sendable>: Sendable {
    private let storage: Mutex<[T]>
    init(repeating value: T, count: Int) { storage = Mutex(Array(repeating: value, count: count)) }
    subscript(index: Int) -> T {
        get { storage.withLock { $0[index] } }
        set { storage.withLock { $0[index] = newValue } }
    }
    var values: [T] { storage.withLock { $0 } }
}
