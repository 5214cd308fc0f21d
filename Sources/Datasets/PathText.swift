/// File-name arithmetic on relative paths, in pure Swift.
///
/// Foundation's `NSString.lastPathComponent` and `deletingPathExtension` trap on Linux for paths
/// such as `a//é` (a doubled slash before a non-ASCII character; found by the label-rule fuzzer),
/// and paths here come from manifests, CSV files and file systems.
public enum PathText {
    /// The last non-empty component: `a/b.mp4` gives `b.mp4`, `a/b/` gives `b`, `` gives ``.
    public static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? ""
    }

    /// `path` without the extension of its last component: `a/b.mp4` gives `a/b`; `a/.hidden` and `a.b/c` stay.
    public static func deletingExtension(_ path: String) -> String {
        let nameStart = path.lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex
        guard let dot = path[nameStart...].lastIndex(of: "."), dot > nameStart else { return path }
        return String(path[..<dot])
    }

    /// The extension of the last component without its dot: `a/b.mp4` gives `mp4`, `a/.hidden` gives ``.
    public static func pathExtension(_ path: String) -> String {
        let name = lastComponent(path)
        let stem = deletingExtension(name)
        return stem.count < name.count ? String(name.dropFirst(stem.count + 1)) : ""
    }

    /// The last component without its extension: `squat/s1_good.mp4` gives `s1_good`.
    public static func stem(_ path: String) -> String { deletingExtension(lastComponent(path)) }
}
