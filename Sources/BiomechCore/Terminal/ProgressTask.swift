import Foundation

/// One unit of long work (a download, an extraction) whose progress a `Console` draws.
public final class ProgressTask: @unchecked Sendable {
    public let label: String
    private weak var console: Console?
    private let lock = NSLock()
    private var total: Int64?
    private var done: Int64 = 0
    private var baseline: Int64 = 0
    private let clock: @Sendable () -> Double
    private let started: Double

    init(label: String, total: Int64?, console: Console, clock: @escaping @Sendable () -> Double) {
        self.label = label
        self.total = total
        self.console = console
        self.clock = clock
        self.started = clock()
    }

    /// Records progress; `done` counts bytes (or items) finished so far, including resumed ones.
    public func update(done: Int64, total: Int64? = nil) {
        lock.lock()
        self.done = done
        if let total, total > 0 { self.total = total }
        lock.unlock()
        console?.refresh()
    }

    /// Marks what was already done before this run (e.g. a resumed `.part`), so the rate counts only new work.
    public func setBaseline(_ value: Int64) {
        lock.lock(); baseline = value; lock.unlock()
    }

    /// Removes the bar.
    public func finish() {
        console?.remove(self)
    }

    /// Bytes per second of this run's work so far.
    public var rate: Double {
        lock.lock(); defer { lock.unlock() }
        let elapsed = clock() - started
        return elapsed > 0 ? Double(done - baseline) / elapsed : 0
    }

    func render(width: Int) -> String {
        lock.lock()
        let (done, total) = (self.done, self.total)
        lock.unlock()
        let speed = rate
        let name = Format.fit(label, width: max(12, width / 3))
        guard let total, total > 0 else {
            return "\(name) \(Format.bytes(done))  \(Format.bytes(Int64(speed)))/s"
        }
        let fraction = min(1, Double(done) / Double(total))
        let barWidth = max(10, width - name.count - 52)
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        let eta = speed > 0 ? Format.duration(Double(total - done) / speed) : "--:--"
        let percent = String(format: "%3d%%", Int(fraction * 100))
        return "\(name) [\(bar)] \(percent) \(Format.bytes(done))/\(Format.bytes(total)) \(Format.bytes(Int64(speed)))/s ETA \(eta)"
    }
}
