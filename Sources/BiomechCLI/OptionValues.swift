import ArgumentParser
import BiomechCore

/// A size option such as `500G` or `2T`; argument-parser refuses an invalid one with exit status 2.
///
/// Invalid means what `ByteSize.parse` refuses: not a number, negative, `inf`, `nan`, or more than an `Int64` holds.
public struct ByteSizeArgument: ExpressibleByArgument, Sendable, Equatable {
    public var bytes: Int64
    private var text: String

    public init?(argument: String) {
        guard let bytes = ByteSize.parse(argument) else { return nil }
        self.bytes = bytes
        self.text = argument
    }

    public var defaultValueDescription: String { text }
}

/// A duration option such as `30s`, `5m` or `1.5h` (a bare number counts seconds), at most a week.
///
/// Invalid means what `DurationText.parse` refuses: not a number, negative, `inf`, `nan`, or longer than a week.
public struct DurationArgument: ExpressibleByArgument, Sendable, Equatable {
    public var seconds: Double
    private var text: String

    public init?(argument: String) {
        guard let seconds = DurationText.parse(argument) else { return nil }
        self.seconds = seconds
        self.text = argument
    }

    /// Whole seconds, rounded up (libcurl's timeouts count whole seconds); safe, as a week fits an `Int`.
    public var wholeSeconds: Int { Int(seconds.rounded(.up)) }

    public var defaultValueDescription: String { text }
}
