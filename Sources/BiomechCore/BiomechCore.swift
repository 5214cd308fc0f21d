/// BiomechCore: pure Swift shared by every stage (no C imports).
///
/// - `Errors/`: `BiomechError` and exit codes, `ConfigurationError`, `FileError`.
/// - `Files/`: atomic writes and renames, advisory locks.
/// - `Terminal/`: the console with live progress bars, human-readable formats, the swift-log handler.
public enum BiomechCore {}

/// The toolkit's version, recorded in receipts and generated metadata.
public enum BiomechVersion {
    public static let string = "0.1.0"
}
