import BiomechCore
import CArchive
import Datasets
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Caps that stop an archive from filling the disk (zip bombs); set from `biomech-fetch`'s options.
public struct ExtractionLimits: Sendable {
    /// Most bytes one archive may unpack to.
    public var maxBytes: Int64 = 1 << 40
    /// Most unpacked bytes per byte of archive.
    public var maxRatio: Double = 200
    public init() {}
}

/// An archive that could not be unpacked, or was refused as unsafe; names the archive and the entry.
public struct ArchiveError: BiomechError {
    public var archive: String
    public var entry: String?
    public var reason: String
    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String {
        let name = PathText.lastComponent(archive)
        if let entry { return "\(name): entry '\(entry)': \(reason)" }
        return "\(name): \(reason)"
    }
}

/// Unpacks zip, tar (plain, gz, bz2, xz, zst), 7z, rar and cpio archives with libarchive, refusing
/// anything that could write outside the target folder.
///
/// Refused, with the archive and entry named: absolute paths, `..` components, symbolic or hard links
/// whose target resolves outside the folder, device files, FIFOs and sockets, and archives that
/// unpack to more than the `ExtractionLimits`. libarchive's own secure flags stay on as a second guard.
public struct ArchiveExtractor: Sendable {
    public var limits: ExtractionLimits
    public init(limits: ExtractionLimits = ExtractionLimits()) { self.limits = limits }

    /// What one extraction wrote.
    public struct Summary: Sendable {
        public var entries = 0
        public var bytes: Int64 = 0
    }

    static let archiveSuffixes = [".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz",
                                  ".tar.zst", ".tzst", ".7z", ".rar", ".cpio"]
    static let compressedSuffixes = [".gz", ".bz2", ".xz", ".zst"]

    /// True when `path` is an archive, by its name or else by its first bytes.
    public static func isArchive(_ path: String) -> Bool {
        let lower = path.lowercased()
        if archiveSuffixes.contains(where: lower.hasSuffix) || compressedSuffixes.contains(where: lower.hasSuffix) { return true }
        guard let reader = try? Reader(path: path, raw: false) else { return false }
        return reader.nextEntry() != nil
    }

    /// Unpacks `archive` into the existing folder `target` (a staging folder the caller renames into place).
    @discardableResult
    public func extract(_ archive: String, into target: String) throws -> Summary {
        guard let root = realpath(target, nil) else { throw FileError.posix("resolve", target, errno: errno) }
        let rootPath = String(cString: root)
        free(root)
        let archiveSize = (try? FileManager.default.attributesOfItem(atPath: archive)[.size] as? Int64) ?? 0
        let byteCap = min(limits.maxBytes, Int64(min(Double(Int64.max / 2), limits.maxRatio * Double(max(archiveSize, 1)))))

        // A lone compressed file (labels.csv.gz) is not a tar: unpack it to its stem.
        var reader = try? Reader(path: archive, raw: false)
        var rawName: String?
        if reader == nil || reader!.peekFailed {
            let lower = archive.lowercased()
            guard let suffix = Self.compressedSuffixes.first(where: lower.hasSuffix) else {
                throw ArchiveError(archive: archive, entry: nil, reason: "not a readable archive: \(reader?.error ?? "unrecognized format")")
            }
            reader = try Reader(path: archive, raw: true)
            rawName = String(PathText.lastComponent(archive).dropLast(suffix.count))
        }
        guard let reader else { throw ArchiveError(archive: archive, entry: nil, reason: "cannot open") }

        let writer = archive_write_disk_new()
        defer { archive_write_free(writer) }
        // Not ARCHIVE_EXTRACT_SECURE_SYMLINKS: it lstat()s every component of every (absolute) path,
        // a third of the time on small files. Writing through links is checked below instead, and
        // only once the archive has produced a link.
        archive_write_disk_set_options(writer, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_NODOTDOT)

        var summary = Summary()
        var sawLink = false
        while let entry = reader.nextEntry() {
            let name = rawName ?? reader.pathname(entry)
            let refuse = { (reason: String) in ArchiveError(archive: archive, entry: name, reason: reason) }
            if let problem = PathSafety.problem(in: name) { throw refuse(problem) }
            let relative = PathSafety.components(of: name)
            if relative.isEmpty { continue }   // "./" itself
            let hardlink = archive_entry_hardlink(entry).map { String(cString: $0) }
            // A tar hard link may carry no file type; it is checked below like a regular file.
            let type = hardlink != nil ? 0o100000 : archive_entry_filetype(entry) & 0o170000
            switch type {
            case 0o100000, 0o040000: break
            case 0o120000:
                sawLink = true
                // libarchive returns NULL for a link with an empty target (a tar header's linkname left blank).
                guard let target = archive_entry_symlink(entry) else { throw refuse("symbolic link has no target") }
                let link = String(cString: target)
                if PathSafety.escapes(root: rootPath, from: Array(relative.dropLast()), target: link) {
                    throw refuse("symbolic link to '\(link)' points outside the target folder")
                }
            case 0o020000, 0o060000: throw refuse("device files are not extracted")
            case 0o010000, 0o140000: throw refuse("FIFOs and sockets are not extracted")
            default: throw refuse("unsupported entry type \(String(type, radix: 8))")
            }
            if let link = hardlink {
                if let problem = PathSafety.problem(in: link) { throw refuse("hard link: \(problem)") }
                let linkParts = PathSafety.components(of: link)
                if PathSafety.escapes(root: rootPath, from: [], target: linkParts.joined(separator: "/")) {
                    throw refuse("hard link to '\(link)' points outside the target folder")
                }
                archive_entry_set_hardlink(entry, rootPath + "/" + linkParts.joined(separator: "/"))
            }
            // A link entry replaces what is at its path; anything else would be written through it.
            let written = type == 0o120000 ? relative.dropLast() : relative[...]
            if sawLink, PathSafety.escapes(root: rootPath, from: [], target: written.joined(separator: "/")) {
                throw refuse("path goes through a symbolic link that leads outside the target folder")
            }
            let declared = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0
            if summary.bytes + declared > byteCap { throw refuse(limitMessage(byteCap, archiveSize)) }
            archive_entry_set_pathname(entry, rootPath + "/" + relative.joined(separator: "/"))
            guard archive_write_header(writer, entry) >= ARCHIVE_WARN else {
                throw refuse("cannot write: \(Self.errorText(writer))")
            }
            if type == 0o100000 {
                try reader.copyData(to: writer, refuse: refuse) { count in
                    summary.bytes += count
                    if summary.bytes > byteCap { throw refuse(limitMessage(byteCap, archiveSize)) }
                }
            }
            guard archive_write_finish_entry(writer) >= ARCHIVE_WARN else {
                throw refuse("cannot finish: \(Self.errorText(writer))")
            }
            summary.entries += 1
        }
        if let error = reader.failure { throw ArchiveError(archive: archive, entry: nil, reason: error) }
        if sawLink, let escaped = PathSafety.firstEscapingLink(under: rootPath) {
            throw ArchiveError(archive: archive, entry: escaped, reason: "symbolic link resolves outside the target folder through another link")
        }
        return summary
    }

    /// libarchive's message for the last failure on `handle`; it may have none (NULL), so never trap on it.
    static func errorText(_ handle: OpaquePointer?) -> String {
        guard let handle else { return "no libarchive handle" }
        if let message = archive_error_string(handle) { return String(cString: message) }
        let code = archive_errno(handle)
        return code != 0 ? String(cString: strerror(code)) : "libarchive gave no reason"
    }

    private func limitMessage(_ cap: Int64, _ archiveSize: Int64) -> String {
        "unpacks to more than \(Format.bytes(cap)) (limits: --max-extract-size \(Format.bytes(limits.maxBytes)), " +
            "--max-ratio \(String(format: "%g", limits.maxRatio)) x \(Format.bytes(archiveSize)) archive); refusing a possible zip bomb"
    }
}
