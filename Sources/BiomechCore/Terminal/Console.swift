import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes messages and live progress bars to standard error without the two garbling each other.
///
/// On a terminal, active tasks are drawn as bars below the scrolling messages and redrawn at most
/// ten times a second. In logs (not a terminal), bars are never drawn: callers log one line when a
/// task starts and one when it finishes, and messages carry a timestamp.
public final class Console: @unchecked Sendable {
    /// The process-wide console on standard error.
    public static let shared = Console()

    /// True when standard error is an interactive terminal (and TERM is not `dumb`).
    public let isTerminal: Bool
    private let lock = NSLock()
    private var tasks: [ProgressTask] = []
    private var drawnLines = 0
    private var lastDraw = 0.0

    /// Seconds on a monotonic clock; tasks measure their rate with it.
    let clock: @Sendable () -> Double

    /// A console on standard error; `clock` (seconds, monotonic) is for tests that need known rates.
    public init(isTerminal: Bool? = nil, clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        self.isTerminal = isTerminal ?? (isatty(STDERR_FILENO) == 1 && term != "dumb")
        self.clock = clock
    }

    /// Prints one message line above the progress bars.
    public func message(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        var out = clearBars()
        if isTerminal {
            out += text + "\n"
        } else {
            out += Self.timestamp() + " " + text + "\n"
        }
        out += drawBars()
        emit(out)
    }

    /// Starts a task whose progress is drawn as a bar on a terminal.
    public func startTask(_ label: String, total: Int64?) -> ProgressTask {
        let task = ProgressTask(label: label, total: total, console: self, clock: clock)
        guard isTerminal else { return task }
        lock.lock(); defer { lock.unlock() }
        tasks.append(task)
        emit(clearBars() + drawBars())
        return task
    }

    func refresh(force: Bool = false) {
        guard isTerminal else { return }
        lock.lock(); defer { lock.unlock() }
        let now = clock()
        guard force || now - lastDraw >= 0.1 else { return }
        emit(clearBars() + drawBars())
    }

    func remove(_ task: ProgressTask) {
        guard isTerminal else { return }
        lock.lock(); defer { lock.unlock() }
        let out = clearBars()
        tasks.removeAll { $0 === task }
        emit(out + drawBars())
    }

    // Both helpers run with `lock` held.
    private func clearBars() -> String {
        guard isTerminal, drawnLines > 0 else { return "" }
        let out = "\u{1B}[\(drawnLines)A\r\u{1B}[J"
        drawnLines = 0
        return out
    }

    private func drawBars() -> String {
        guard isTerminal, !tasks.isEmpty else { return "" }
        let width = Self.terminalWidth()
        var out = ""
        for task in tasks {
            out += String(task.render(width: width).prefix(width - 1)) + "\n"
        }
        drawnLines = tasks.count
        lastDraw = clock()
        return out
    }

    private func emit(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 100
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
