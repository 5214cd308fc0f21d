import BiomechCore

/// A `.npy` file (or an array meant for one) that biomech cannot use, and why.
///
/// Every reason says what was found and what was expected, so a bad landmark file can be traced
/// to the tool that wrote it without opening a hex editor.
public struct NPYError: BiomechError {
    /// The path of the file, or a label such as `<array>` when no file is involved.
    public var file: String
    /// What was wrong, phrased as "found X (expected Y)".
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String { "\(file): not a readable .npy: \(reason)" }
}
