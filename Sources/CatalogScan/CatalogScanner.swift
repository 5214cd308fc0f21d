import BiomechCore
import CatalogStore
import Database
import Datasets
import Foundation
import Video

/// `biomech-catalog scan`: walks every dataset's `files/`, probes new or changed videos in process,
/// labels them, and keeps splits and duplicate links current.
///
/// Incremental: a file whose size and modification time match its row is not probed again.
/// Probed rows are written in batches, one transaction each, so a killed scan leaves a consistent
/// catalog and the next scan finishes the job. Labels, annotations and splits are recomputed for
/// every row on every scan (they are cheap and the rules may have changed).
public final class CatalogScanner {
    public struct Options: Sendable {
        public var data: URL
        public var manifests: URL
        public var database: String
        public var jobs: Int
        /// Split ratios to apply; nil keeps the ratios the catalog stored (80/10/10 for a new catalog).
        public var splits: SplitPolicy?
        /// Rows per transaction while probing.
        public var batch = 64

        public init(data: URL, manifests: URL, database: String, jobs: Int, splits: SplitPolicy? = nil) {
            self.data = data; self.manifests = manifests; self.database = database; self.jobs = jobs; self.splits = splits
        }
    }

    /// What a scan did, for the summary line and tests.
    public struct Summary: Sendable, Equatable {
        public var datasets = 0, files = 0, probed = 0, unchanged = 0, removed = 0, probeErrors = 0
        /// Videos whose split changed because `--split` gave new ratios.
        public var splitMoves = 0
        public var warnings: [String] = []
    }

    /// File extensions taken for videos; anything else under `files/` is skipped (annotation CSVs, READMEs).
    public static let videoExtensions: Set<String> = ["mp4", "m4v", "mov", "avi", "mkv", "webm", "mpg", "mpeg", "wmv", "flv", "3gp", "ts"]

    /// The `settings` key holding the split ratios.
    static let splitRatiosKey = "split_ratios"

    let options: Options
    let console: Console
    let db: Database
    let videos: VideoTable
    let tables: CatalogTables
    let vocabulary: ExerciseVocabulary
    /// The ratios this scan applies: `options.splits`, else the stored ones, else 80/10/10.
    let splits: SplitPolicy
    /// The stored ratios when `options.splits` replaces different ones.
    let replacedSplits: SplitPolicy?
    var summary = Summary()
    let now = ISO8601DateFormatter().string(from: Date())

    public init(options: Options, console: Console) throws {
        self.options = options
        self.console = console
        db = try CatalogStore.open(options.database)
        videos = VideoTable(db)
        tables = CatalogTables(db)
        vocabulary = try ExerciseVocabulary(db)
        let stored = try tables.setting(Self.splitRatiosKey).map { text in
            guard let policy = SplitPolicy(text) else {
                throw CatalogError(options.database, "settings.\(Self.splitRatiosKey) holds '\(text)'; expected ratios like 0.8/0.1/0.1")
            }
            return policy
        }
        splits = options.splits ?? stored ?? SplitPolicy()
        replacedSplits = options.splits != nil && stored != nil && stored != options.splits ? stored : nil
    }

    /// Scans every dataset that has a manifest; rows of datasets whose manifest is gone are removed.
    public func run() throws -> Summary {
        let manifests = try ManifestLoader.loadAll(from: options.manifests)
        let rules = try manifests.map { try LabelRules(dataset: $0.manifest.name, spec: $0.manifest.labels, vocabulary: vocabulary, manifestPath: $0.path) }
        for (loaded, rules) in zip(manifests, rules) {
            try scan(loaded, rules: rules)
            summary.datasets += 1
        }
        try db.transaction { try tables.deleteDatasets(except: manifests.map(\.manifest.name)) }
        try assignSplits()
        return summary
    }

    private func warn(_ text: String) {
        summary.warnings.append(text)
        console.message("warning: \(text)")
    }

    // MARK: One dataset

    private func scan(_ loaded: ManifestLoader.Loaded, rules: LabelRules) throws {
        let m = loaded.manifest
        let folder = options.data.appendingPathComponent(m.name)
        let files = folder.appendingPathComponent("files")
        let receipt = try recordDataset(loaded, folder: folder)
        let found = walk(files)
        let known = try videos.files(dataset: m.name)
        let gone = Set(known.keys).subtracting(found.keys)
        if !gone.isEmpty {
            try db.transaction { try videos.delete(ids: gone.compactMap { known[$0]?.id }) }
            summary.removed += gone.count
        }
        let todo = found.filter { path, stat in
            guard let old = known[path] else { return true }
            return old.sizeBytes != stat.size || abs(old.mtime - stat.mtime) > 1e-6
        }.keys.sorted()
        summary.files += found.count
        summary.unchanged += found.count - todo.count
        let annotations = AnnotationIndex(sources: m.labels?.annotations ?? [], filesFolder: files, videos: Set(found.keys), vocabulary: vocabulary)
        annotations.warnings.forEach(warn)
        try probe(todo, dataset: m.name, files: files, stats: found, rules: rules, annotations: annotations)
        try relabel(dataset: m.name, rules: rules, annotations: annotations)
        try recordYouTube(dataset: m.name, files: files, receipt: receipt)
    }

    /// Records the dataset's row and returns its fetch receipt, when readable.
    @discardableResult
    private func recordDataset(_ loaded: ManifestLoader.Loaded, folder: URL) throws -> Receipt? {
        let m = loaded.manifest
        let manifestHash = (try? FileDigest.sha256(ofFile: loaded.path).hex) ?? ""
        let receiptPath = folder.appendingPathComponent(Receipt.fileName).path
        var receiptHash: String?, state: Receipt.State?, fetchedAt: String?
        var receipt: Receipt?
        if FileManager.default.fileExists(atPath: receiptPath) {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: receiptPath))
                let read = try JSONDecoder().decode(Receipt.self, from: data)
                receiptHash = try FileDigest.sha256(ofFile: receiptPath).hex
                state = read.state
                fetchedAt = read.updatedAt
                receipt = read
            } catch {
                warn("\(receiptPath): unreadable fetch receipt (\(error)); the dataset is catalogued without provenance")
            }
        } else if m.access != .generated {
            warn("\(receiptPath): no fetch receipt: not fetched yet, or a manual dataset still waiting for its files (see `biomech-fetch`); files already under files/ are still catalogued")
        }
        try db.transaction {
            try tables.upsert(DatasetRow(name: m.name, title: m.title, homepage: m.homepage, license: m.license,
                                         commercialUse: m.commercialUse, access: m.access.rawValue, manifestSHA256: manifestHash,
                                         receiptSHA256: receiptHash, receiptState: state, fetchedAt: fetchedAt, scannedAt: now))
        }
        return receipt
    }

    /// Video files under `files/` by path relative to it, with their size and modification time.
    ///
    /// A file the walker reports outside `files/` (which a path through a symbolic link could cause) is
    /// warned about and skipped: keying it by its bare name would merge distinct files.
    func walk(_ files: URL) -> [String: (size: Int64, mtime: Double)] {
        var found: [String: (Int64, Double)] = [:]
        guard FileManager.default.fileExists(atPath: files.path) else { return [:] }
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]
        let walker = FileManager.default.enumerator(at: files, includingPropertiesForKeys: keys, options: [], errorHandler: { [weak self] url, error in
            self?.warn("\(url.path): cannot read (\((error as NSError).localizedDescription)); skipped")
            return true
        })
        let base = files.standardizedFileURL.path + "/"
        while let url = walker?.nextObject() as? URL {
            guard Self.videoExtensions.contains(url.pathExtension.lowercased()),
                  let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(base) else {
                warn("\(full): found while walking \(files.path) but not under it; skipped")
                continue
            }
            found[String(full.dropFirst(base.count))] = (Int64(values.fileSize ?? 0), values.contentModificationDate?.timeIntervalSince1970 ?? 0)
        }
        return found
    }

    // MARK: Probing

    private struct Probed: Sendable {
        var path: String, sha256: String, info: VideoInfo?, error: String?
    }

    private func probe(_ todo: [String], dataset: String, files: URL, stats: [String: (size: Int64, mtime: Double)],
                       rules: LabelRules, annotations: AnnotationIndex) throws {
        guard !todo.isEmpty else { return }
        let task = console.startTask("\(dataset): probing", total: Int64(todo.count), unit: .items("files"))
        // In logs there is no bar: a line at the start, about every tenth of the work, and at the end.
        if !console.isTerminal { console.message("\(dataset): probing \(todo.count) new or changed files") }
        var nextLogLine = max(options.batch, todo.count / 10)
        defer { task.finish() }
        var done = 0
        for start in stride(from: 0, to: todo.count, by: options.batch) {
            let chunk = Array(todo[start..<min(start + options.batch, todo.count)])
            let base = files.path
            let results = Parallel.map(chunk, jobs: options.jobs) { path -> Probed in
                let full = base + "/" + path
                let hash: String
                do { hash = try FileDigest.sha256(ofFile: full).hex } catch {
                    return Probed(path: path, sha256: "", info: nil, error: "cannot read: \(error)")
                }
                do { return Probed(path: path, sha256: hash, info: try VideoProbe.probe(path: full), error: nil) } catch {
                    return Probed(path: path, sha256: hash, info: nil, error: (error as? VideoError)?.reason ?? "\(error)")
                }
            }
            let rows = results.compactMap { r -> ScannedVideo? in
                guard let stat = stats[r.path] else { return nil }
                let labels = Self.labels(for: r.path, rules: rules, annotations: annotations)
                return ScannedVideo(dataset: dataset, path: r.path, sha256: r.sha256, sizeBytes: stat.size, mtime: stat.mtime,
                                    media: r.info.map(Self.facts), probeError: r.error, labels: labels,
                                    split: splits.split(forGroup: labels.groupKey), scannedAt: now)
            }
            try db.transaction { try videos.upsert(rows) }
            for r in results { if let error = r.error { summary.probeErrors += 1; console.message("\(dataset)/\(r.path): \(error)") } }
            summary.probed += chunk.count
            done += chunk.count
            task.update(done: Int64(done))
            if !console.isTerminal && (done >= nextLogLine || done == todo.count) {
                console.message("\(dataset): probed \(done)/\(todo.count)")
                nextLogLine = done + max(options.batch, todo.count / 10)
            }
        }
    }

    static func facts(_ i: VideoInfo) -> MediaFacts {
        MediaFacts(container: i.container, codec: i.codec, width: i.width, height: i.height, rotation: i.rotation, fps: i.fps,
                   durationSeconds: i.durationSeconds, frameCount: i.frameCount, frameCountCounted: i.frameCountCounted, hasAudio: i.hasAudio)
    }

    // MARK: Labels

    /// Applies rules and annotations to every row of the dataset; `manual` labels are kept.
    ///
    /// Annotation rows are rewritten when the annotation files or the dataset's catalogued videos changed
    /// (the fingerprint covers both), and whenever the stored rows are not the ones expected: deleting
    /// videos or a whole dataset cascades to its annotations, and SQLite may hand the same row ids out again.
    private func relabel(dataset: String, rules: LabelRules, annotations: AnnotationIndex) throws {
        let stored = try videos.labels(dataset: dataset)
        let fingerprintKey = "annotations:\(dataset)"
        let videoList = stored.map { "\($0.id):\($0.path)" }.sorted().joined(separator: "\n")
        let fingerprint = annotations.fingerprint + "|videos:" + FileDigest.sha256(of: Array(videoList.utf8))
        let expectedRows = annotations.byVideo.values.reduce(0) { $0 + $1.count }
        let refreshAnnotations = try tables.setting(fingerprintKey) != fingerprint
            || tables.annotationCount(dataset: dataset) != expectedRows
        try db.transaction {
            for row in stored {
                var labels = Self.labels(for: row.path, rules: rules, annotations: annotations)
                if row.labels.exerciseSource == .manual { labels.exercise = row.labels.exercise; labels.exerciseSource = .manual }
                if row.labels.qualitySource == .manual { labels.quality = row.labels.quality; labels.qualitySource = .manual }
                if labels != row.labels { try videos.setLabels(id: row.id, labels) }
            }
            guard refreshAnnotations else { return }
            try tables.replaceAnnotations(dataset: dataset, annotations.byVideo)
            try tables.setSetting(fingerprintKey, fingerprint)
        }
    }

    /// Rule labels, with an annotation's exercise taking precedence over a rule's.
    static func labels(for path: String, rules: LabelRules, annotations: AnnotationIndex) -> RuleLabels {
        var labels = rules.labels(for: path)
        if let exercise = annotations.exercise[path] { labels.exercise = exercise; labels.exerciseSource = .annotation }
        if let quality = annotations.quality[path] { labels.quality = quality; labels.qualitySource = .annotation }
        return labels
    }

    // MARK: YouTube metadata

    /// Rewrites `youtube_videos` for the dataset from the `<clip>.info.json` files beside its clips,
    /// when those files, the catalogued videos or the receipt's sources changed.
    private func recordYouTube(dataset: String, files: URL, receipt: Receipt?) throws {
        let stored = try videos.labels(dataset: dataset).filter { $0.path.hasPrefix(YouTubeFolder.name + "/") }
        var infos: [(path: String, info: String)] = []
        var fingerprint = ""
        for row in stored.sorted(by: { $0.path < $1.path }) {
            let info = String(row.path.dropLast(PathText.pathExtension(row.path).count + 1)) + ".info.json"
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: files.appendingPathComponent(info).path) else { continue }
            infos.append((row.path, info))
            fingerprint += "\(row.id):\(info):\((attributes[.size] as? Int) ?? -1):\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0);"
        }
        var sources: [String: String] = [:]
        for clip in receipt?.clips ?? [] {
            if let path = clip.path, let source = clip.source { sources[String(path.dropFirst("files/".count))] = source }
        }
        fingerprint += sources.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        let key = "youtube:\(dataset)"
        let table = YouTubeTable(db)
        if infos.isEmpty, try table.count(dataset: dataset) == 0 { return }   // no YouTube clips: nothing to keep
        guard try tables.setting(key) != FileDigest.sha256(of: Array(fingerprint.utf8)) || table.count(dataset: dataset) != infos.count else { return }
        var rows: [YouTubeRow] = []
        for (path, info) in infos {
            do {
                rows.append(YouTubeRow(path: path, info: try YouTubeInfo.read(files.appendingPathComponent(info)), source: sources[path], infoFile: info))
            } catch {
                warn("\(error); the clip is catalogued without its YouTube metadata")
            }
        }
        try db.transaction {
            try table.replace(dataset: dataset, rows)
            try tables.setSetting(key, FileDigest.sha256(of: Array(fingerprint.utf8)))
        }
    }

    // MARK: Splits

    /// Recomputes duplicate links and splits over the whole catalog, writing only what changed.
    ///
    /// When `--split` replaced stored ratios, the number of videos that changed split is reported.
    private func assignSplits() throws {
        let rows = try videos.splitMembers()
        let assigned = splits.assign(rows.map(\.member))
        var moved = 0
        try db.transaction {
            for row in rows {
                guard let (split, duplicateOf) = assigned[row.member.id] else { continue }
                if row.split != split || row.duplicateOf != duplicateOf {
                    try videos.setSplit(id: row.member.id, split, duplicateOf: duplicateOf)
                }
                if row.split != split { moved += 1 }
            }
            try tables.setSetting(Self.splitRatiosKey, splits.text)
        }
        if let old = replacedSplits {
            summary.splitMoves = moved
            console.message("split ratios changed from \(old.text) to \(splits.text): \(moved) of \(rows.count) videos moved between splits")
        }
    }
}
