import Crypto
import Foundation

/// SHA-256 computed on a second thread while the download thread keeps receiving.
///
/// Hashing a 1 GiB body inline costs about a second on this hardware, time during which libcurl
/// would not read the socket. Chunks are copied into a ring of preallocated slots (a bounded
/// queue, so memory stays fixed) and hashed in order by a worker thread.
final class PipelinedHasher: @unchecked Sendable {
    private let slotSize: Int
    private var slots: [UnsafeMutableRawBufferPointer]
    private var lengths: [Int]
    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var hasher: SHA256
    private var head = 0   // next slot to fill (producer only)
    private var tail = 0   // next slot to hash (worker only)
    private var finished = false

    /// Starts the worker with `hasher`'s state (e.g. the hash of a resumed `.part` prefix).
    init(continuing hasher: SHA256, slotSize: Int, slotCount: Int = 16) {
        self.hasher = hasher
        self.slotSize = slotSize
        slots = (0..<slotCount).map { _ in .allocate(byteCount: slotSize, alignment: 64) }
        lengths = Array(repeating: 0, count: slotCount)
        free = DispatchSemaphore(value: slotCount)
        let thread = Thread { [unowned self] in self.work() }
        thread.start()
    }

    deinit { slots.forEach { $0.deallocate() } }

    /// Queues a copy of `bytes` for hashing; blocks only when the worker is a full ring behind.
    func update(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let n = min(slotSize, bytes.count - offset)
            free.wait()
            slots[head].copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]))
            lengths[head] = n
            head = (head + 1) % slots.count
            filled.signal()
            offset += n
        }
    }

    /// Waits for every queued chunk and returns the hash state (the worker then stops).
    func finish() -> SHA256 {
        free.wait()   // one slot with length -1 marks the end
        lengths[head] = -1
        filled.signal()
        done.wait()
        free.signal()   // libdispatch traps if a semaphore is freed below its initial value
        return hasher
    }

    private func work() {
        while true {
            filled.wait()
            let n = lengths[tail]
            if n < 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: slots[tail][0..<n]))
            tail = (tail + 1) % slots.count
            free.signal()
        }
        done.signal()
    }
}
