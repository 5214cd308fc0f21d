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
///
/// YouTube clips in `files/youtube` cannot be rebuilt (a video YouTube removed is gone), so no
/// step here may delete the only copy of one: they are hard-linked into the staged tree, never
/// moved, and a staging folder is removed only after every clip in it also exists in `files/youtube`.
struct FilesBuilder {
    let folder: DatasetFolder
    let extractor: ArchiveExtractor
    let logger: Logger
    let label: String
    /// Renames a file or folder; tests replace it to make one step of the swap fail.
    var rename: (URL, URL) throws -> Void = AtomicFile.rename

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

    var clips: URL { folder.files.appendingPathComponent(YouTubeClips.folderName) }

    /// True when `files/` holds a built tree, not just clips rescued by `recover` into an otherwise missing folder.
    func isBuilt(inputs: [Input]) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.files.path) else { return false }
        return inputs.isEmpty || names.contains { $0 != YouTubeClips.folderName }
    }

    /// Restores `files/` from an interrupted swap and removes leftover staging folders, keeping every clip.
    func recover() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.root.path) else { return }
        for name in names.sorted() where name.hasPrefix(".staging-") {
            do {
                try discard(folder.root.appendingPathComponent(name))
            } catch {
                logger.warning("\(label): kept \(name), which may hold the only copy of some clips: \(error)")
            }
        }
    }

    /// Removes a staging folder, first putting back whatever in it exists nowhere else.
    ///
    /// `old/` becomes `files/` again when `files/` is missing (a crash mid-swap); clips under
    /// `files/youtube` or `old/youtube` that `files/youtube` lacks are moved there. Throws, leaving
    /// the folder in place, when any of that fails.
    func discard(_ staging: URL) throws {
        let fm = FileManager.default
        let old = staging.appendingPathComponent("old")
        if !fm.fileExists(atPath: folder.files.path), fm.fileExists(atPath: old.path) {
            logger.warning("\(label): restoring files/ left aside by an interrupted run")
            try rename(old, folder.files)
        }
        for place in ["files", "old"] {
            let stagedClips = staging.appendingPathComponent(place).appendingPathComponent(YouTubeClips.folderName)
            guard let names = try? fm.contentsOfDirectory(atPath: stagedClips.path) else { continue }
            for name in names where !fm.fileExists(atPath: clips.appendingPathComponent(name).path) {
                logger.warning("\(label): moving clip \(name) back from \(staging.lastPathComponent) to files/\(YouTubeClips.folderName)")
                try fm.createDirectory(at: clips, withIntermediateDirectories: true)
                try rename(stagedClips.appendingPathComponent(name), clips.appendingPathComponent(name))
            }
        }
        try fm.removeItem(at: staging)
    }

    /// Unpacks or links every input into a fresh `files/`; returns the inputs marked as extracted or not.
    ///
    /// `downloads/a/b.zip` unpacks into `files/a/`; `downloads/a/c.csv` is linked as `files/a/c.csv`.
    func build(_ inputs: [Input]) throws -> [Receipt.Entry] {
        let fm = FileManager.default
        let staging = folder.root.appendingPathComponent(".staging-\(getpid())")
        let stagedFiles = staging.appendingPathComponent("files")
        if fm.fileExists(atPath: staging.path) { try discard(staging) }
        try fm.createDirectory(at: stagedFiles, withIntermediateDirectories: true)
        // Success or failure, the staging folder goes the same careful way (a failure keeps the old files/).
        defer {
            do { try discard(staging) } catch {
                logger.warning("\(label): kept \(staging.lastPathComponent), which may hold the only copy of some clips: \(error)")
            }
        }

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
        // YouTube clips are not rebuilt from downloads: link them in, so the old files/youtube keeps them until the swap.
        if let names = try? fm.contentsOfDirectory(atPath: clips.path) {
            let stagedClips = stagedFiles.appendingPathComponent(YouTubeClips.folderName)
            try? fm.removeItem(at: stagedClips)   // a download's own youtube/ entry loses to the clips
            try fm.createDirectory(at: stagedClips, withIntermediateDirectories: true)
            for name in names {
                try linkOrCopy(clips.appendingPathComponent(name), to: stagedClips.appendingPathComponent(name))
            }
        }
        let old = staging.appendingPathComponent("old")
        if fm.fileExists(atPath: folder.files.path) { try rename(folder.files, old) }
        try rename(stagedFiles, folder.files)
        return entries
    }

    private func linkOrCopy(_ source: URL, to target: URL) throws {
        if link(source.path, target.path) == 0 { return }
        try FileManager.default.copyItem(at: source, to: target)
    }
}
