import BiomechCore

/// Why a file could not be probed or decoded; `description` names the file and says what is wrong.
public struct VideoError: BiomechError, Sendable, Equatable {
    /// The path as given to `VideoProbe.probe(path:)` or `VideoDecoder(path:settings:)`.
    public var path: String
    /// What is wrong, with libav's own words in parentheses when it gave any.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var exitCode: Int32 { ExitStatus.failure }

    public var description: String { "\(path): \(reason)" }
}
