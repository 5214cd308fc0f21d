import Datasets
import BiomechCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Brings one dataset up to date on disk: downloads or manual files, `files/`, clips, receipt.
///
/// Runs under the dataset's lock, so two fetch processes on one output folder take turns.
final class DatasetFetcher: Sendable {
    let manifest: Manifest
    let manifestFile: String
    let options: FetchOptions
    let logger: Logger
    let limiter: Limiter
    let downloader: Downloader
    let folder: DatasetFolder

    /// `logger` receives every message, `console` draws the progress bars: both are the caller's.
    init(manifest: Manifest, manifestFile: String, options: FetchOptions, logger: Logger, console: Console, limiter: Limiter) {
        self.manifest = manifest
        self.manifestFile = manifestFile
        self.options = options
        self.logger = logger
        self.limiter = limiter
        self.downloader = Downloader(settings: options.download, console: console, logger: logger)
        self.folder = DatasetFolder(out: options.out, name: manifest.name)
    }

    private var name: String { manifest.name }

    /// Runs every step and reports how the dataset ended; never throws.
    func run() -> DatasetOutcome {
        var outcome = DatasetOutcome(name: name, access: manifest.access.rawValue, state: .failed)
        if let generated = manifest.generated, manifest.access == .generated {
            let count = (try? FileManager.default.contentsOfDirectory(atPath: folder.files.path).count) ?? 0
            outcome.state = .generated
            outcome.files = count
            outcome.notes.append(count == 0 ? "not made yet: run `\(generated.command)`" : "made by `\(generated.command)`")
            return outcome
        }
        do {
            if options.dryRun { return try plan() }
            let lock = try FileLock(path: folder.lock) { holder in
                self.logger.info("\(self.name): waiting for \(holder), which is fetching into the same folder")
            }
            defer { lock.unlock() }
            outcome = try fetch()
        } catch {
            outcome.notes.append("\(error)")
            logger.error("\(name): \(error)")
        }
        return outcome
    }

    private func fetch() throws -> DatasetOutcome {
        var outcome = DatasetOutcome(name: name, access: manifest.access.rawValue, state: .upToDate)
        let previous = Receipt.read(from: folder.root)
        let builder = FilesBuilder(folder: folder, extractor: ArchiveExtractor(limits: options.limits), logger: logger, label: name)
        builder.recover()

        // 1. Verified inputs: downloads over HTTP, or files placed by hand.
        var inputs: [FilesBuilder.Input] = []
        var downloadedAny = false
        if manifest.access == .manual, let manual = manifest.manual {
            let results = try ManualCheck(folder: folder, verify: options.verify).check(manual, previous: previous)
            let present = results.compactMap { expected, status -> FilesBuilder.Input? in
                guard case let .present(local) = status else { return nil }
                let url = folder.downloads.appendingPathComponent(expected.path)
                let entry = Receipt.Entry(path: "downloads/" + expected.path, url: nil, sha256: local.sha256, bytes: local.bytes,
                                          mtime: local.mtime, fetchedAt: previous?.files.first { $0.path == "downloads/" + expected.path }?.fetchedAt ?? Receipt.now(),
                                          pinned: expected.sha256 != nil, bytesTransferred: 0, resumedFrom: 0, attempts: 0, extracted: false)
                return FilesBuilder.Input(path: url, entry: entry, mode: expected.extract)
            }
            if present.count < results.count {
                logger.notice("\(ManualCheck(folder: folder, verify: false).instructions(manifest, manual, results))")
                let missing = results.filter { $0.1.word == "missing" }.count
                let wrong = results.filter { $0.1.word == "wrong" }.count
                outcome.state = .waiting
                outcome.files = present.count
                outcome.notes.append([missing > 0 ? "\(missing) missing" : nil, wrong > 0 ? "\(wrong) wrong" : nil]
                    .compactMap { $0 }.joined(separator: ", ") + " of \(results.count) files to place by hand")
                return outcome
            }
            inputs = present
        } else {
            let results = Parallel.map(manifest.files, jobs: options.jobs) { file in
                Result { try self.ensure(file, previous: previous) }
            }
            var failures: [String] = []
            for (file, result) in zip(manifest.files, results) {
                switch result {
                case let .success((entry, downloaded)):
                    if downloaded { outcome.state = .fetched; downloadedAny = true }
                    outcome.transferred += entry.bytesTransferred
                    inputs.append(FilesBuilder.Input(path: folder.url(entry.path), entry: entry, mode: file.extract))
                case let .failure(error):
                    failures.append("\(error)")
                }
            }
            guard failures.isEmpty else {
                outcome.state = .failed
                outcome.notes = failures
                failures.forEach { logger.error("\(name): \($0)") }
                return outcome
            }
        }
        outcome.files = inputs.count
        outcome.bytes = inputs.reduce(0) { $0 + $1.entry.bytes }

        // 2. files/: rebuilt when its inputs changed, went missing, or were downloaded anew
        //    (plain files are hard links, so a repaired download must be linked again).
        var entries = inputs.map(\.entry)
        let signature = FilesBuilder.signature(inputs)
        let filesPresent = builder.isBuilt(inputs: inputs)
        if previous?.filesBuiltFrom != signature || !filesPresent || downloadedAny {
            entries = try builder.build(inputs)
            outcome.state = .fetched
        } else if let previous {
            entries = entries.map { entry in
                var entry = entry
                entry.extracted = previous.files.first { $0.path == entry.path }?.extracted ?? false
                return entry
            }
        }

        // 3. YouTube clips listed in the dataset's CSV files, and videos of its playlists and channels.
        var clips = previous?.clips ?? []
        var state = Receipt.State.complete
        if let list = manifest.youtube {
            var youtube = YouTubeClips(folder: folder, options: options, logger: logger, limiter: limiter, label: name)
            youtube.format = list.format ?? YouTubeClips.defaultFormat
            let specs = try youtube.readLists(list, manifestFile: manifestFile)
            let wanted = specs.count + list.sources.count
            if let tool = youtube.locateTool() {
                let old = previous?.clips ?? []
                clips = youtube.fetch(specs, tool: tool, previous: old.filter { $0.source == nil })
                var failedSources: [String] = []
                if !list.sources.isEmpty {
                    let manifestSHA = (try? FileDigest.sha256(ofFile: manifestFile).hex) ?? ""
                    let sources = YouTubeSources(clips: youtube, list: list)
                        .fetch(tool: tool, previous: old.filter { $0.source != nil }, manifestChanged: previous?.manifestSHA256 != manifestSHA)
                    clips += sources.clips
                    failedSources = sources.unlisted
                    let kept = sources.clips.filter { $0.state == .downloaded }.count
                    let filtered = sources.clips.filter { $0.state == .filtered }.count
                    outcome.notes.append("\(list.sources.count) source\(list.sources.count == 1 ? "" : "s"): \(sources.listed) videos listed, "
                                         + "\(sources.passing) pass the filters, \(kept) kept"
                                         + (filtered > 0 ? ", \(filtered) outside the dates or lengths" : ""))
                }
                let failed = clips.filter { $0.state == .failed }.count
                let unavailable = clips.filter { $0.state == .unavailable }.count
                let downloaded = clips.filter { $0.state == .downloaded && $0.source == nil }.count
                if clips.contains(where: { c in !old.contains(c) }) { outcome.state = .fetched }
                if !specs.isEmpty {
                    outcome.notes.append("\(downloaded)/\(specs.count) clips" + (unavailable > 0 ? ", \(unavailable) unavailable on YouTube" : ""))
                } else if unavailable > 0 {
                    outcome.notes.append("\(unavailable) unavailable on YouTube")
                }
                if failed > 0 || !failedSources.isEmpty {
                    outcome.state = .failed
                    if failed > 0 { outcome.notes.append("\(failed) clips failed (re-run to retry)") }
                    if !failedSources.isEmpty { outcome.notes.append("\(failedSources.count) sources could not be listed") }
                    state = .partial
                }
            } else {
                logger.warning("\(name): yt-dlp is not installed, so its YouTube videos cannot be fetched (\(specs.count) listed clips, \(list.sources.count) playlist or channel sources); \(YouTubeClips.installHint)")
                outcome.state = .waiting
                outcome.notes.append(wanted == specs.count ? "\(specs.count) clips need yt-dlp" : "\(specs.count) clips and \(list.sources.count) sources need yt-dlp")
                state = .partial
            }
        }

        // 4. The receipt, last: its presence means everything before it is in place.
        let receipt = Receipt(dataset: name, access: manifest.access.rawValue,
                              manifestSHA256: (try? FileDigest.sha256(ofFile: manifestFile).hex) ?? "",
                              state: state, updatedAt: Receipt.now(), files: entries, filesBuiltFrom: signature, clips: clips)
        if receipt.withoutTime != previous?.withoutTime { try receipt.write(to: folder.root) }
        if outcome.state == .upToDate {
            logger.info("\(name): up to date, nothing downloaded (\(entries.count) file\(entries.count == 1 ? "" : "s"), \(Format.bytes(outcome.bytes)), \(options.verify ? "re-hashed" : "verified by receipt"))")
        }
        return outcome
    }

    /// Makes sure one HTTP file is on disk and verified; returns its receipt entry and whether it was downloaded.
    private func ensure(_ file: RemoteFile, previous: Receipt?) throws -> (Receipt.Entry, Bool) {
        let relative = "downloads/" + file.savedName
        let destination = folder.url(relative)
        let old = previous?.files.first { $0.path == relative }
        if let local = try LocalFile.inspect(destination, previous: old, verify: options.verify) {
            if file.sha256 == nil || file.sha256 == local.sha256 {
                if file.sha256 == nil, let old, old.sha256 != local.sha256 {
                    logger.warning("\(name)/\(file.savedName): unpinned file changed on disk since it was fetched (sha256 now \(local.sha256))")
                }
                // Keep the record of the fetch that brought the file; a file found on disk without one gets a fresh entry.
                if var kept = old, kept.sha256 == local.sha256 {
                    kept.mtime = local.mtime
                    kept.pinned = file.sha256 != nil
                    return (kept, false)
                }
                let entry = Receipt.Entry(path: relative, url: nil, sha256: local.sha256, bytes: local.bytes,
                                          mtime: local.mtime, fetchedAt: Receipt.now(), pinned: file.sha256 != nil,
                                          bytesTransferred: 0, resumedFrom: 0, attempts: 0, extracted: false)
                return (entry, false)
            }
            logger.warning("\(name)/\(file.savedName): sha256 on disk is \(local.sha256), the manifest pins \(file.sha256!); downloading it again")
            unlink(destination.path)
        }
        let request = DownloadRequest(sources: file.sources, destination: destination, sha256: file.sha256, size: file.size)
        let report = try limiter.run { try downloader.download(request, label: "\(name)/\(file.savedName)") }
        if file.unpinned {
            logger.warning("\(name)/\(file.savedName) is unpinned; to pin it, set in \(manifestFile): sha256: \(report.sha256)")
        }
        let entry = Receipt.Entry(path: relative, url: report.url, sha256: report.sha256, bytes: report.bytes,
                                  mtime: LocalFile.mtime(of: destination), fetchedAt: Receipt.now(), pinned: file.sha256 != nil,
                                  bytesTransferred: report.bytesTransferred, resumedFrom: report.resumedFrom,
                                  attempts: report.attempts, extracted: false)
        return (entry, true)
    }

    /// `--dry-run`: says what a real run would do, writing nothing.
    private func plan() throws -> DatasetOutcome {
        var outcome = DatasetOutcome(name: name, access: manifest.access.rawValue, state: .upToDate)
        let previous = Receipt.read(from: folder.root)
        if manifest.access == .manual, let manual = manifest.manual {
            let results = try ManualCheck(folder: folder, verify: options.verify).check(manual, previous: previous)
            if results.contains(where: { $0.1.word != "present" }) {
                logger.notice("\(ManualCheck(folder: folder, verify: false).instructions(manifest, manual, results))")
                outcome.state = .waiting
            }
            outcome.files = results.count
            return outcome
        }
        for file in manifest.files {
            let relative = "downloads/" + file.savedName
            let old = previous?.files.first { $0.path == relative }
            let local = try LocalFile.inspect(folder.url(relative), previous: old, verify: options.verify)
            if let local, file.sha256 == nil || file.sha256 == local.sha256 {
                logger.info("\(name)/\(file.savedName): present and verified")
                outcome.bytes += local.bytes
            } else {
                let size = file.size.map { " (\(Format.bytes($0)))" } ?? ""
                let why = local == nil ? "would download" : "checksum differs; would download again"
                logger.info("\(name)/\(file.savedName): \(why) from \(file.url)\(size)\(file.unpinned ? " [unpinned]" : "")")
                outcome.state = .planned
                outcome.bytes += file.size ?? 0
            }
            outcome.files += 1
        }
        if let list = manifest.youtube {
            if !list.lists.isEmpty { outcome.notes.append("YouTube clips are listed after the files are fetched") }
            for source in list.sources {
                let filters = [source.exercise.map { "as \($0)" }, source.include.isEmpty ? nil : "titles matching \(source.include.joined(separator: " or "))",
                               source.exclude.isEmpty ? nil : "not \(source.exclude.joined(separator: " or "))"].compactMap { $0 }
                logger.info("\(name): would list \(source.url) with yt-dlp\(filters.isEmpty ? "" : " (" + filters.joined(separator: ", ") + ")")")
            }
            if !list.sources.isEmpty {
                let limits = [list.perExercise.map { "at most \($0) per exercise" }, list.after.map { "uploaded from \($0)" },
                              list.before.map { "until \($0)" }, list.minSeconds.map { "at least \(Int($0)) s" },
                              list.maxSeconds.map { "at most \(Int($0)) s" }].compactMap { $0 }
                outcome.notes.append("\(list.sources.count) playlist or channel sources" + (limits.isEmpty ? "" : ": " + limits.joined(separator: ", ")))
                outcome.state = .planned
            }
        }
        return outcome
    }
}

extension Receipt {
    /// The receipt without its timestamp, to skip rewriting an unchanged one.
    var withoutTime: Receipt {
        var copy = self
        copy.updatedAt = ""
        return copy
    }
}
