import BiomechCore
import Foundation
import Logging
import Datasets

/// Downloads the YouTube clips a dataset lists in CSV files, through `yt-dlp`, trimmed to each clip.
///
/// Clips land in `files/youtube/<id>_<start>_<end>.<ext>` by atomic rename, with yt-dlp's
/// `<name>.info.json` beside them (title, uploader, licence, date, length: the catalog's `youtube_videos`). Videos that YouTube no
/// longer serves (removed, private) are recorded as `unavailable` and not retried on later runs;
/// other failures are retried with backoff and fail the dataset.
struct YouTubeClips {
    static let folderName = YouTubeFolder.name
    static let defaultFormat = "bv*[ext=mp4][height<=720]+ba[ext=m4a]/b[ext=mp4][height<=720]/b"
    static let installHint = "install it with `pip install yt-dlp` (or `apt-get install yt-dlp`), then run biomech-fetch again"

    typealias Spec = ClipSpec

    let folder: DatasetFolder
    let options: FetchOptions
    let logger: Logger
    let limiter: Limiter
    let label: String
    /// The yt-dlp format selector (the manifest's `youtube.format`, or `defaultFormat`).
    var format = defaultFormat

    /// Reads the clip list from the dataset's CSV files, in order and without duplicates.
    func readLists(_ list: YouTubeList, manifestFile: String) throws -> [Spec] {
        try ClipList.read(list, manifestFile: manifestFile, resolve: folder.url)
    }

    /// The yt-dlp executable, or nil when it is not installed.
    func locateTool() -> String? {
        let fm = FileManager.default
        if options.ytDlp.contains("/") { return fm.isExecutableFile(atPath: options.ytDlp) ? options.ytDlp : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(options.ytDlp)" }.first(where: fm.isExecutableFile)
    }

    /// Fetches every clip not already on disk or known to be unavailable.
    func fetch(_ specs: [Spec], tool: String, previous: [Receipt.Clip]) -> [Receipt.Clip] {
        let known = Dictionary(previous.map { (Spec(id: $0.id, start: $0.start, end: $0.end), $0) }, uniquingKeysWith: { a, _ in a })
        let total = specs.count
        let finished = AtomicCounter()
        return Parallel.map(specs, jobs: options.jobs) { spec in
            if let old = known[spec] {
                if old.state == .unavailable { return old }
                if old.state == .downloaded, let path = old.path, FileManager.default.fileExists(atPath: folder.url(path).path) { return old }
            }
            let clip = limiter.run { download(spec, tool: tool) }
            let n = finished.increment()
            logger.info("\(label): clip \(n)/\(total) \(spec.baseName): \(clip.state)\(clip.message.map { " (\($0))" } ?? "")")
            return clip
        }
    }

    /// Downloads one clip into `files/youtube/[exercise/]`, with yt-dlp's info JSON beside it.
    ///
    /// `check` judges the info JSON (a source's date and length filters): a clip it rejects is
    /// deleted and recorded as `filtered`.
    func download(_ spec: Spec, tool: String, exercise: String? = nil, source: String? = nil,
                  check: ((YouTubeInfo) -> String?)? = nil) -> Receipt.Clip {
        var clip = Receipt.Clip(id: spec.id, start: spec.start, end: spec.end, path: nil, state: .failed, message: nil,
                                exercise: exercise, source: source)
        let relative = [Self.folderName, exercise].compactMap { $0 }.joined(separator: "/")
        let target = folder.files.appendingPathComponent(relative)
        let scratch = folder.root.appendingPathComponent(".youtube-tmp/\(relative)/\(spec.baseName)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for failure in 0...options.download.retries {
            if failure > 0 { Thread.sleep(forTimeInterval: options.download.backoff(failures: failure)) }
            try? FileManager.default.removeItem(at: scratch)
            try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            var arguments = ["--no-playlist", "--no-progress", "--no-warnings", "--write-info-json", "-f", format,
                             "--merge-output-format", "mp4", "-o", scratch.path + "/\(spec.baseName).%(ext)s"]
            if spec.start != nil || spec.end != nil {
                let start = spec.start.map { String($0) } ?? "0"
                let end = spec.end.map { String($0) } ?? "inf"
                arguments += ["--download-sections", "*\(start)-\(end)", "--force-keyframes-at-cuts"]
            }
            arguments.append("https://www.youtube.com/watch?v=\(spec.id)")
            let result = Subprocess.run(tool, arguments)
            let infoName = "\(spec.baseName).info.json"
            let produced = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path))?
                .filter { $0.hasPrefix(spec.baseName + ".") && !$0.hasSuffix(".part") && !$0.hasSuffix(".ytdl") && $0 != infoName }.sorted() ?? []
            if result.status == 0, let name = produced.first {
                let info = scratch.appendingPathComponent(infoName)
                let hasInfo = FileManager.default.fileExists(atPath: info.path)
                if let check, hasInfo, let facts = try? YouTubeInfo.read(info), let reason = check(facts) {
                    clip.state = .filtered
                    clip.message = reason
                    return clip
                }
                let ext = PathText.pathExtension(name)
                let final = target.appendingPathComponent("\(spec.baseName).\(ext)")
                do {
                    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                    // The info JSON first: a clip on disk always has its metadata beside it.
                    if hasInfo { try AtomicFile.rename(info, to: target.appendingPathComponent(infoName)) }
                    try AtomicFile.rename(scratch.appendingPathComponent(name), to: final)
                    clip.state = .downloaded
                    clip.path = "files/\(relative)/\(final.lastPathComponent)"
                    clip.message = hasInfo ? nil : "yt-dlp wrote no info JSON"
                    return clip
                } catch {
                    clip.message = "\(error)"
                    return clip
                }
            }
            let message = result.output.split(whereSeparator: \.isNewline).last { $0.contains("ERROR") }.map(String.init)
                ?? (result.status == 0 ? "yt-dlp produced no file" : "yt-dlp exited with status \(result.status)")
            clip.message = message
            if Self.unavailablePhrases.contains(where: { message.localizedCaseInsensitiveContains($0) }) {
                clip.state = .unavailable
                return clip
            }
        }
        return clip
    }

    static let unavailablePhrases = ["Video unavailable", "Private video", "has been removed", "is not available",
                                     "account associated with this video has been terminated", "This video does not exist"]
}
