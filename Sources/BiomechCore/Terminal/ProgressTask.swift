import Foundation
import Synchronization

/// What a task counts: bytes (shown in binary units) or items with a name ("frames").
public enum ProgressUnit: Sendable, Equatable {
    case bytes
    case items(String)

    func format(_ value: Int64) -> String {
        switch self {
        case .bytes: Format.bytes(value)
        case .items: Format.count(value)
        }
    }

    var suffix: String {
        switch self {
        case .bytes: ""
        case .items(let name): " " + name
        }
    }
}

/// One unit of long work (a download, an extraction) whose progress a `Console` draws.
public final class ProgressTask: Sendable {
    public let label: String
    public let unit: ProgressUnit
    /// Weak: a console outlives its tasks, not the other way round.
    private weak let console: Console?
    private struct Counts { var total: Int64?, done: Int64 = 0, baseline: Int64 = 0, note = "" }
    private let counts: Mutex<Counts>
    private let clock: @Sendable () -> Double
    private let started: Double

    init(label: String, total: Int64?, unit: ProgressUnit, console: Console, clock: @escaping @Sendable () -> Double) {
        self.label = label
        self.unit = unit
        counts = Mutex(Counts(total: total))
        self.console = console
        self.clock = clock
        self.started = clock()
    }

    /// Records progress; `done` counts bytes (or items) finished so far, including resumed ones.
    public func update(done: Int64, total: Int64? = nil) {
        counts.withLock { counts in
            counts.done = done
            if let total, total > 0 { counts.total = total }
        }
        console?.refresh()
    }

    /// Sets a short text drawn after the bar's numbers (e.g. "3/10 videos").
    public func setNote(_ note: String) {
        counts.withLock { $0.note = note }
        console?.refresh()
    }

    /// Marks what was already done before this run (e.g. a resumed `.part`), so the rate counts only new work.
    public func setBaseline(_ value: Int64) {
        counts.withLock { $0.baseline = value }
    }

    /// Removes the bar.
    public func finish() {
        console?.remove(self)
    }

    /// Units (bytes or items) per second of this run's work so far.
    public var rate: Double {
        let elapsed = clock() - started
        return counts.withLock { elapsed > 0 ? Double($0.done - $0.baseline) / elapsed : 0 }
    }

    func render(width: Int) -> String {
        let (done, total, note) = counts.withLock { ($0.done, $0.total, $0.note) }
        let speed = rate
        let name = Format.fit(label, width: max(12, width / 3))
        let tail = note.isEmpty ? "" : "  " + note
        let perSecond = "\(unit.format(Int64(speed)))\(unit.suffix)/s"
        guard let total, total > 0 else {
            return "\(name) \(unit.format(done))\(unit.suffix)  \(perSecond)\(tail)"
        }
        let fraction = min(1, Double(done) / Double(total))
        let eta = speed > 0 ? Format.duration(Double(total - done) / speed) : "--:--"
        let percent = String(format: "%3d%%", Int(fraction * 100))
        let numbers = "\(percent) \(unit.format(done))/\(unit.format(total))\(unit.suffix) \(perSecond) ETA \(eta)\(tail)"
        // The bar takes what the label and the numbers leave of the line.
        let barWidth = max(10, width - name.count - numbers.count - 5)
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        return "\(name) [\(bar)] \(numbers)"
    }
}

