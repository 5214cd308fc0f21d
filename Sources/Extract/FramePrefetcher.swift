import Dispatch
import Foundation
import Synchronization
import Video

/// Decodes a few frames ahead on a thread of its own, so decoding and converting overlap the pose model.
///
/// One consumer calls `next()` until it returns `.end` or `.failure`, then `close()`; after `close()`
/// the decoder is idle again and its counters can be read.
public final class FramePrefetcher: @unchecked Sendable {
    public enum Item: Sendable {
        case frame(DecodedFrame)
        case end
        case failure(VideoError)
    }

    /// Touched only by the decoding thread until `close()` returns.
    private let decoder: VideoDecoder
    private let ready = Mutex<[Item]>([])
    private let items = DispatchSemaphore(value: 0)
    private let spaces: DispatchSemaphore
    private let cancelled = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)
    private let cpu = Mutex(0.0)

    /// CPU seconds the decoding thread used (decoding, scaling, converting); final once `close()` returned.
    public var cpuSeconds: Double { cpu.withLock { $0 } }

    /// Starts decoding at once, at most `depth` frames ahead of the consumer.
    public init(_ decoder: VideoDecoder, depth: Int = 3) {
        self.decoder = decoder
        spaces = DispatchSemaphore(value: depth)
        let thread = Thread { [self] in decode() }
        thread.name = "biomech-decode"
        thread.start()
    }

    /// The next frame, or how the stream ended.
    public func next() -> Item {
        items.wait()
        let item = ready.withLock { $0.removeFirst() }
        spaces.signal()
        return item
    }

    /// Stops decoding (if it has not ended) and waits for the thread to finish; safe to call twice.
    public func close() {
        guard !cancelled.exchange(true, ordering: .sequentiallyConsistent) else { return }
        spaces.signal()
        stopped.wait()
    }

    private func decode() {
        defer {
            var now = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
            cpu.withLock { $0 = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 }
            stopped.signal()
        }
        while true {
            spaces.wait()
            if cancelled.load(ordering: .sequentiallyConsistent) { return }
            let item: Item
            do { item = try decoder.next().map(Item.frame) ?? .end } catch { item = .failure(error) }
            ready.withLock { $0.append(item) }
            items.signal()
            guard case .frame = item else { return }
        }
    }
}
