import Datasets
import BiomechCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Builds a dataset's `files/` folder from its verified downloads, all at once or not at all.
///
/// Archives are unpacked and other files hard-linked into `.staging-PID/files`; only when every
/// input succeeded does the staging folder replace `files/` (the old one is kept aside until the
/// new one is in place, and restored by `recover` if a crash came in between).
struct FilesBuilder {
    let folder: DatasetFolder
    let extractor: ArchiveExtractor
    let logger: Logger
    let label: String

    /// One verified download and whether to unpack it.
    struct Input {
        var path: URL
        var entry: Receipt.Entry
        var mode: ExtractMode
    }

    /// The identity of a set of inputs; the folder is rebuilt when it changes.
    static func signature(_ inputs: [Input]) -> [String] {
        inputs.map { "\($0.entry.path) \($0.entry.sha256) \($0.mode.rawValue)" }
    }

    /// Restores `files/` from an interrupted swap and removes leftover staging folders.
    func recover() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.root.path) else { return }
        for name in names where name.hasPrefix(".staging-") {
            let staging = folder.root.appendingPathComponent(name)
            let old = staging.appendingPathComponent("old")
            if !fm.fileExists(atPath: folder.files.path), fm.fileExists(atPath: old.path) {
                logger.warning("\(label): restoring files/ left aside by an interrupted run")
                try? AtomicFile.rename(old, to: folder.files)
            }
            try? fm.removeItem(at: staging)
        }
    }

    /// Unpacks or links every input into a fresh `files/`; returns the inputs marked as extracted or not.
    ///
    /// `downloads/a/b.zip` unpacks into `files/a/`; `downloads/a/c.csv` is linked as `files/a/c.csv`.
    func build(_ inputs: [Input]) throws -> [Receipt.Entry] {
        let fm = FileManager.default
        let staging = folder.root.appendingPathComponent(".staging-\(getpid())")
        let stagedFiles = staging.appendingPathComponent("files")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: stagedFiles, withIntermediateDirectories: true)
        var done = false
        defer { if !done { try? fm.removeItem(at: staging) } }

        var entries: [Receipt.Entry] = []
        for input in inputs {
            var entry = input.entry
            // Paths under downloads/ are kept: an archive unpacks into its own folder's place in files/.
            let relative = String(entry.path.dropFirst("downloads/".count))
            let placed = stagedFiles.appendingPathComponent(relative)
            try fm.createDirectory(at: placed.deletingLastPathComponent(), withIntermediateDirectories: true)
            if input.mode == .auto && ArchiveExtractor.isArchive(input.path.path) {
                logger.info("\(label): extracting \(relative) (\(Format.bytes(entry.bytes)))")
                let summary = try extractor.extract(input.path.path, into: placed.deletingLastPathComponent().path)
                logger.info("\(label): extracted \(summary.entries) entries, \(Format.bytes(summary.bytes)) from \(relative)")
                entry.extracted = true
            } else {
                try linkOrCopy(input.path, to: placed)
                entry.extracted = false
            }
            entries.append(entry)
        }
        // YouTube clips live in files/youtube and are not rebuilt from downloads: carry them over.
        let clips = folder.files.appendingPathComponent(YouTubeClips.folderName)
        if fm.fileExists(atPath: clips.path) {
            try? fm.removeItem(at: stagedFiles.appendingPathComponent(YouTubeClips.folderName))
            try AtomicFile.rename(clips, to: stagedFiles.appendingPathComponent(YouTubeClips.folderName))
        }
        let old = staging.appendingPathComponent("old")
        if fm.fileExists(atPath: folder.files.path) { try AtomicFile.rename(folder.files, to: old) }
        try AtomicFile.rename(stagedFiles, to: folder.files)
        done = true
        try? fm.removeItem(at: staging)
        return entries
    }

    private func linkOrCopy(_ source: URL, to target: URL) throws {
        if link(source.path, target.path) == 0 { return }
        try FileManager.default.copyItem(at: source, to: target)
    }
}
