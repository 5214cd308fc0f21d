import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Path checks that keep archive entries and links inside their target folder.
enum PathSafety {
    /// Why an entry name is refused (absolute, `..`), or nil when it stays inside.
    static func problem(in name: String) -> String? {
        if name.hasPrefix("/") { return "absolute path refused" }
        if name.split(separator: "/").contains("..") { return "path with a '..' component refused" }
        return nil
    }

    /// A safe entry name's components, without empty and `.` parts.
    static func components(of name: String) -> [String] {
        name.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// True when `target`, followed from the folder `from` (components under `root`), leaves `root`.
    ///
    /// Links already on disk under `root` are followed, so a chain of harmless-looking links
    /// (`d -> .`, `e -> d/..`) is caught too. Absolute targets always escape.
    static func escapes(root: String, from: [String], target: String) -> Bool {
        if target.hasPrefix("/") { return true }
        var stack = from
        var pending = ArraySlice(target.split(separator: "/").map(String.init))
        var hops = 0
        while let part = pending.popFirst() {
            if part.isEmpty || part == "." { continue }
            if part == ".." {
                if stack.isEmpty { return true }
                stack.removeLast()
                continue
            }
            stack.append(part)
            guard let link = readLink(root + "/" + stack.joined(separator: "/")) else { continue }
            hops += 1
            if hops > 40 || link.hasPrefix("/") { return true }
            stack.removeLast()
            pending = ArraySlice(link.split(separator: "/").map(String.init)) + pending
        }
        return false
    }

    /// The first symbolic link under `root` (relative path) whose target resolves outside it.
    static func firstEscapingLink(under root: String) -> String? {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return nil }
        while let relative = walker.nextObject() as? String {
            let full = root + "/" + relative
            guard let target = readLink(full) else { continue }
            let folder = relative.split(separator: "/").dropLast().map(String.init)
            if escapes(root: root, from: folder, target: target) { return relative }
        }
        return nil
    }

    /// The target of the symbolic link at `path`, or nil when it is not a link.
    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, Int(PATH_MAX))
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
