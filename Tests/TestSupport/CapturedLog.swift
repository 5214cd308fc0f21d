import Foundation
import Logging

/// Collects what a `Logger` is told, so tests read a library's messages instead of its standard error.
public final class CapturedLog: Sendable {
    private let lines = Locked<[String]>([])

    public init() {}

    /// A logger at `level` whose messages end up in `messages`.
    public func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "test") { _ in Handler(log: self) }
        logger.logLevel = level
        return logger
    }

    /// Every message so far, in order, as `level: text`.
    public var messages: [String] { lines.value }

    fileprivate func append(_ line: String) { lines.update { $0.append(line) } }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { log.append("\(event.level): \(event.message)") }
    }
}
