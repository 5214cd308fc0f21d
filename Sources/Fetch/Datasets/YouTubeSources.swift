import BiomechCore
import Datasets
import Foundation
import Logging

/// Lists a dataset's playlist and channel sources with yt-dlp and fetches the videos its filters keep.
///
/// Each run lists every source again (playlists grow) and keeps the listing in
/// `OUT/NAME/youtube-sources.json`; when listing fails (offline, a removed channel) the last listing
/// is used, with a warning. Videos are picked in listing order (`SourceSelection`); one whose info
/// JSON then falls outside the dates or lengths is deleted and recorded as `filtered`, and the next
/// one is taken, until `per_exercise` is met or the listing is used up.
struct YouTubeSources {
    static let cacheName = "youtube-sources.json"

    let clips: YouTubeClips
    let list: YouTubeList

    /// What one run did, for the summary line.
    struct Outcome {
        var clips: [Receipt.Clip]
        var listed = 0, passing = 0
        /// Sources neither listed now nor ever before.
        var unlisted: [String] = []
    }

    /// Lists the sources, then fetches rounds of picks until none is left.
    ///
    /// `previous` are the receipt's clips; `manifestChanged` makes `filtered` clips eligible again.
    func fetch(tool: String, previous: [Receipt.Clip], manifestChanged: Bool) -> Outcome {
        let (listings, unlisted) = listSources(tool: tool)
        var outcome = Outcome(clips: [])
        (outcome.listed, outcome.passing) = SourceSelection.passing(listings, list: list)
        outcome.unlisted = unlisted
        var byID: [String: Receipt.Clip] = [:]
        var order: [String] = []
        func record(_ clip: Receipt.Clip) {
            if byID[clip.id] == nil { order.append(clip.id) }
            byID[clip.id] = clip
        }
        for clip in previous where clip.source != nil {
            let onDisk = clip.path.map { FileManager.default.fileExists(atPath: clips.folder.url($0).path) } ?? false
            if clip.state == .unavailable || (clip.state == .downloaded && onDisk) || (clip.state == .filtered && !manifestChanged) {
                record(clip)
            }
        }
        var decided = Set(byID.keys)
        let total = AtomicCounter()
        while true {
            let kept = Dictionary(grouping: byID.values.filter { $0.state == .downloaded }, by: { $0.exercise ?? "" }).mapValues(\.count)
            let picks = SourceSelection.next(listings, list: list, kept: kept, decided: decided)
            guard !picks.isEmpty else { break }
            let results = Parallel.map(picks, jobs: clips.options.jobs) { pick -> Receipt.Clip in
                let filter = YouTubeFilter(list: list, source: list.sources.first { $0.url == pick.source } ?? YouTubeSource(url: pick.source))
                let clip = clips.limiter.run {
                    clips.download(ClipSpec(id: pick.info.id), tool: tool, exercise: pick.exercise, source: pick.source) { info in
                        filter.rejection(title: info.title ?? pick.info.title, uploadDate: info.day, duration: info.duration)
                    }
                }
                let n = total.increment()
                clips.logger.info("\(clips.label): video \(n) \([pick.exercise, pick.info.id].compactMap { $0 }.joined(separator: "/")): \(clip.state)\(clip.message.map { " (\($0))" } ?? "")")
                return clip
            }
            for clip in results { record(clip); decided.insert(clip.id) }
        }
        outcome.clips = order.compactMap { byID[$0] }
        return outcome
    }

    /// Every source's entries: listed now, or from the last listing when yt-dlp fails.
    func listSources(tool: String) -> (listings: [SourceSelection.Listing], unlisted: [String]) {
        let cacheURL = clips.folder.root.appendingPathComponent(Self.cacheName)
        var cache = (try? JSONDecoder().decode([String: [YouTubeInfo]].self, from: Data(contentsOf: cacheURL))) ?? [:]
        var listings: [SourceSelection.Listing] = []
        var unlisted: [String] = []
        var changed = false
        for source in list.sources {
            switch listing(of: source.url, tool: tool) {
            case .success(let entries):
                listings.append((source, entries))
                if cache[source.url] != entries { cache[source.url] = entries; changed = true }
            case .failure(let error):
                if let old = cache[source.url] {
                    clips.logger.warning("\(clips.label): cannot list \(source.url) (\(error)); using the listing of an earlier run (\(old.count) videos)")
                    listings.append((source, old))
                } else {
                    clips.logger.error("\(clips.label): cannot list \(source.url): \(error)")
                    unlisted.append(source.url)
                }
            }
        }
        if changed, let data = try? JSONEncoder.sortedPretty.encode(cache) {
            try? FileManager.default.createDirectory(at: clips.folder.root, withIntermediateDirectories: true)
            do { try AtomicFile.write(data, to: cacheURL) } catch {
                clips.logger.warning("\(clips.label): cannot save \(cacheURL.path): \(error)")
            }
        }
        return (listings, unlisted)
    }

    struct ListingError: Error, CustomStringConvertible { var description: String }

    /// One source's flat listing. `approximate_date` asks YouTube's tab pages for an upload time.
    private func listing(of url: String, tool: String) -> Result<[YouTubeInfo], ListingError> {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-listing-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = Subprocess.run(tool, ["--flat-playlist", "--dump-single-json", "--no-warnings",
                                           "--extractor-args", "youtubetab:approximate_date", url], standardOutput: out)
        guard result.status == 0 else {
            let why = result.output.split(whereSeparator: \.isNewline).last { $0.contains("ERROR") }.map(String.init)
            return .failure(ListingError(description: why ?? "yt-dlp exited with status \(result.status)"))
        }
        do { return .success(try YouTubeInfo.entries(ofListing: Data(contentsOf: out), source: url)) } catch {
            return .failure(ListingError(description: "\(error)"))
        }
    }
}

extension JSONEncoder {
    /// Sorted keys and indentation: files a person may read and diff.
    static var sortedPretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
