import Foundation
import Logging

/// A swift-log handler that prints through a `Console`, so log lines never tear a progress bar.
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let console: Console

    public init(label: String, level: Logger.Level = .info, console: Console = .shared) {
        self.label = label
        self.logLevel = level
        self.console = console
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let prefix: String
        switch event.level {
        case .warning: prefix = "warning: "
        case .error, .critical: prefix = "error: "
        case .debug, .trace: prefix = "debug: "
        default: prefix = ""
        }
        console.message("\(label): \(prefix)\(event.message)")
    }

    /// Routes every `Logger` in the process to the shared console at `level`; call once from `main`.
    public static func bootstrap(label: String, level: Logger.Level) {
        LoggingSystem.bootstrap { _ in ConsoleLogHandler(label: label, level: level) }
    }
}
