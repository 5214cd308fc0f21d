/// BiomechCore: pure Swift shared by every stage (no C imports).
///
/// - `Errors/`: `BiomechError` and exit codes, `ConfigurationError`, `FileError`.
/// - `Files/`: atomic writes and renames, advisory locks.
/// - `Terminal/`: the console with live progress bars, human-readable formats, the swift-log handler.
public enum BiomechCore {}
