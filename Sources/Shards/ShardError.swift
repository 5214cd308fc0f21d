import BiomechCore

/// A shard folder that cannot be trusted as written, and why.
///
/// Names the file (an `index.json`, a shard `.npy` or the split folder), the `index.json` key when
/// the problem is in the index, and what was found and expected, so a bad folder can be traced to
/// the run that wrote it.
public struct ShardError: BiomechError {
    /// The path of the file or folder at fault.
    public var file: String
    /// The key path in `index.json`, e.g. `shards[2].files[0].shape`, when the index is at fault.
    public var key: String?
    /// What was wrong, phrased as "found X (expected Y)".
    public var reason: String

    public init(file: String, key: String? = nil, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var exitCode: Int32 { ExitStatus.failure }

    public var description: String {
        if let key, !key.isEmpty { return "\(file): key '\(key)': \(reason)" }
        return "\(file): \(reason)"
    }
}
