import BiomechCore

/// An image (contact sheet or chart) that could not be drawn or written; names the file and the reason (cairo's status string
/// when cairo failed).
public struct DrawingError: BiomechError {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String { "\(path): cannot write image: \(reason)" }
}

/// A cairo call that failed, before the file it was meant for is known; `ContactSheet` turns it into a `DrawingError`.
struct CairoFailure: Error {
    var operation: String
    var reason: String
}
