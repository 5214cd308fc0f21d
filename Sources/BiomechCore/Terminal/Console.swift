import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Writes messages and live progress bars to standard error without the two garbling each other.
///
/// On a terminal, active tasks are drawn as bars below the scrolling messages and redrawn at most
/// ten times a second. In logs (not a terminal), bars are never drawn: callers log one line when a
/// task starts and one when it finishes, and messages carry a timestamp.
public final class Console: Sendable {
    /// The process-wide console on standard error.
    public static let shared = Console()

    /// True when standard error is an interactive terminal (and TERM is not `dumb`).
    public let isTerminal: Bool
    /// What is on screen; every change happens with the mutex held, so lines are never interleaved.
    private struct Screen {
        var tasks: [ProgressTask] = []
        var drawnLines = 0
        var lastDraw = 0.0
    }
    private let screen = Mutex(Screen())

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
        screen.withLock { screen in
            var out = clearBars(&screen)
            if isTerminal {
                out += text + "\n"
            } else {
                out += Self.timestamp() + " " + text + "\n"
            }
            out += drawBars(&screen)
            emit(out)
        }
    }

    /// Starts a task whose progress is drawn as a bar on a terminal.
    public func startTask(_ label: String, total: Int64?, unit: ProgressUnit = .bytes) -> ProgressTask {
        let task = ProgressTask(label: label, total: total, unit: unit, console: self, clock: clock)
        guard isTerminal else { return task }
        screen.withLock { screen in
            screen.tasks.append(task)
            emit(clearBars(&screen) + drawBars(&screen))
        }
        return task
    }

    func refresh(force: Bool = false) {
        guard isTerminal else { return }
        screen.withLock { screen in
            guard force || clock() - screen.lastDraw >= 0.1 else { return }
            emit(clearBars(&screen) + drawBars(&screen))
        }
    }

    func remove(_ task: ProgressTask) {
        guard isTerminal else { return }
        screen.withLock { screen in
            let out = clearBars(&screen)
            screen.tasks.removeAll { $0 === task }
            emit(out + drawBars(&screen))
        }
    }

    // Both helpers run with the mutex held, on the screen it guards.
    private func clearBars(_ screen: inout Screen) -> String {
        guard isTerminal, screen.drawnLines > 0 else { return "" }
        let out = "\u{1B}[\(screen.drawnLines)A\r\u{1B}[J"
        screen.drawnLines = 0
        return out
    }

    private func drawBars(_ screen: inout Screen) -> String {
        guard isTerminal, !screen.tasks.isEmpty else { return "" }
        let width = Self.terminalWidth()
        var out = ""
        for task in screen.tasks {
            out += String(task.render(width: width).prefix(width - 1)) + "\n"
        }
        screen.drawnLines = screen.tasks.count
        screen.lastDraw = clock()
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
