import BiomechCore
import Database
import Fetch
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
        public var splits: SplitPolicy
        /// Rows per transaction while probing.
        public var batch = 64

        public init(data: URL, manifests: URL, database: String, jobs: Int, splits: SplitPolicy = SplitPolicy()) {
            self.data = data; self.manifests = manifests; self.database = database; self.jobs = jobs; self.splits = splits
        }
    }

    /// What a scan did, for the summary line and tests.
    public struct Summary: Sendable, Equatable {
        public var datasets = 0, files = 0, probed = 0, unchanged = 0, removed = 0, probeErrors = 0
        public var warnings: [String] = []
    }

    /// File extensions taken for videos; anything else under `files/` is skipped (annotation CSVs, READMEs).
    public static let videoExtensions: Set<String> = ["mp4", "m4v", "mov", "avi", "mkv", "webm", "mpg", "mpeg", "wmv", "flv", "3gp", "ts"]

    let options: Options
    let console: Console
    let db: Database
    let vocabulary: ExerciseVocabulary
    var summary = Summary()
    let now = ISO8601DateFormatter().string(from: Date())

    public init(options: Options, console: Console) throws {
        self.options = options
        self.console = console
        db = try CatalogStore.open(options.database)
        vocabulary = try ExerciseVocabulary(db)
    }

    /// Scans every dataset that has a manifest; rows of datasets whose manifest is gone are removed.
    public func run() throws -> Summary {
        let manifests = try ManifestLoader.loadAll(from: options.manifests)
        let rules = try manifests.map { try LabelRules(dataset: $0.manifest.name, spec: $0.manifest.labels, vocabulary: vocabulary, manifestPath: $0.path) }
        for (loaded, rules) in zip(manifests, rules) {
            try scan(loaded, rules: rules)
            summary.datasets += 1
        }
        let names = manifests.map { SQLValue($0.manifest.name) }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ",")
        try db.transaction { try db.execute("DELETE FROM datasets WHERE name NOT IN (\(placeholders.isEmpty ? "''" : placeholders))", names) }
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
        try recordDataset(loaded, folder: folder)
        let found = walk(files)
        let existing = try db.query("SELECT id, path, size_bytes, mtime FROM videos WHERE dataset = ?", [SQLValue(m.name)]).rows
        var known: [String: (id: Int64, size: Int64, mtime: Double)] = [:]
        for row in existing { known[row[1].string!] = (Int64(row[0].int!), Int64(row[2].int!), row[3].double!) }
        let gone = Set(known.keys).subtracting(found.keys)
        if !gone.isEmpty {
            try db.transaction { for path in gone { try db.execute("DELETE FROM videos WHERE id = ?", [SQLValue(Int(known[path]!.id))]) } }
            summary.removed += gone.count
        }
        let todo = found.filter { path, stat in
            guard let old = known[path] else { return true }
            return old.size != stat.size || abs(old.mtime - stat.mtime) > 1e-6
        }.keys.sorted()
        summary.files += found.count
        summary.unchanged += found.count - todo.count
        let annotations = AnnotationIndex(sources: m.labels?.annotations ?? [], filesFolder: files, videos: Set(found.keys), vocabulary: vocabulary)
        annotations.warnings.forEach(warn)
        try probe(todo, dataset: m.name, files: files, stats: found, rules: rules, annotations: annotations)
        try relabel(dataset: m.name, rules: rules, annotations: annotations)
    }

    private func recordDataset(_ loaded: ManifestLoader.Loaded, folder: URL) throws {
        let m = loaded.manifest
        let manifestHash = (try? FileDigest.sha256(ofFile: loaded.path).hex) ?? ""
        let receiptPath = folder.appendingPathComponent("FETCHED.json").path
        var receiptHash: String?, state: String?, fetchedAt: String?
        if FileManager.default.fileExists(atPath: receiptPath) {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: receiptPath))
                let receipt = try JSONDecoder().decode(Receipt.self, from: data)
                receiptHash = try FileDigest.sha256(ofFile: receiptPath).hex
                state = receipt.state
                fetchedAt = receipt.updatedAt
            } catch {
                warn("\(receiptPath): unreadable fetch receipt (\(error)); the dataset is catalogued without provenance")
            }
        } else if m.access != .generated {
            warn("\(receiptPath): no fetch receipt: not fetched yet, or a manual dataset still waiting for its files (see `biomech-fetch`); files already under files/ are still catalogued")
        }
        try db.transaction {
            try db.execute("""
                INSERT INTO datasets (name, title, homepage, license, commercial_use, access, manifest_sha256,
                                      receipt_sha256, receipt_state, fetched_at, scanned_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET title = excluded.title, homepage = excluded.homepage,
                    license = excluded.license, commercial_use = excluded.commercial_use, access = excluded.access,
                    manifest_sha256 = excluded.manifest_sha256, receipt_sha256 = excluded.receipt_sha256,
                    receipt_state = excluded.receipt_state, fetched_at = excluded.fetched_at, scanned_at = excluded.scanned_at
                """, [SQLValue(m.name), SQLValue(m.title), SQLValue(m.homepage), SQLValue(m.license), SQLValue(m.commercialUse),
                      SQLValue(m.access.rawValue), SQLValue(manifestHash), SQLValue(receiptHash), SQLValue(state),
                      SQLValue(fetchedAt), SQLValue(now)])
        }
    }

    /// Video files under `files/` with their size and modification time; unreadable folders are warned about.
    func walk(_ files: URL) -> [String: (size: Int64, mtime: Double)] {
        var found: [String: (Int64, Double)] = [:]
        guard FileManager.default.fileExists(atPath: files.path) else { return [:] }
        let walker = FileManager.default.enumerator(at: files, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey],
                                                    options: [], errorHandler: { [weak self] url, error in
            self?.warn("\(url.path): cannot read (\((error as NSError).localizedDescription)); skipped")
            return true
        })
        let base = files.standardizedFileURL.path + "/"
        while let url = walker?.nextObject() as? URL {
            guard Self.videoExtensions.contains(url.pathExtension.lowercased()),
                  let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]),
                  values.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(base) ? String(full.dropFirst(base.count)) : url.lastPathComponent
            found[relative] = (Int64(values.fileSize ?? 0), values.contentModificationDate?.timeIntervalSince1970 ?? 0)
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
        let task = console.startTask("\(dataset): probing", total: Int64(todo.count))
        // In logs there is no bar: a line at the start, about every tenth of the work, and at the end.
        if !console.isTerminal { console.message("\(dataset): probing \(todo.count) new or changed files") }
        var nextLogLine = max(options.batch, todo.count / 10)
        defer { task.finish() }
        let upsert = try db.prepare("""
            INSERT INTO videos (dataset, path, sha256, size_bytes, mtime, container, codec, width, height, rotation, fps,
                                duration_s, frame_count, frame_count_counted, has_audio, probe_error, exercise, exercise_source,
                                quality, quality_source, group_key, source_key, split, scanned_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dataset, path) DO UPDATE SET sha256 = excluded.sha256, size_bytes = excluded.size_bytes,
                mtime = excluded.mtime, container = excluded.container, codec = excluded.codec, width = excluded.width,
                height = excluded.height, rotation = excluded.rotation, fps = excluded.fps, duration_s = excluded.duration_s,
                frame_count = excluded.frame_count, frame_count_counted = excluded.frame_count_counted,
                has_audio = excluded.has_audio, probe_error = excluded.probe_error, scanned_at = excluded.scanned_at
            """)
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
                    return Probed(path: path, sha256: hash, info: nil, error: (error as? VideoProbeError)?.reason ?? "\(error)")
                }
            }
            try db.transaction {
                for r in results {
                    let stat = stats[r.path]!, i = r.info
                    let labels = Self.labels(for: r.path, rules: rules, annotations: annotations)
                    try upsert.run([SQLValue(dataset), SQLValue(r.path), SQLValue(r.sha256), SQLValue(Int(stat.size)), SQLValue(stat.mtime),
                                    SQLValue(i?.container), SQLValue(i?.codec), SQLValue(i?.width), SQLValue(i?.height), SQLValue(i?.rotation),
                                    SQLValue(i?.fps), SQLValue(i?.durationSeconds), SQLValue(i?.frameCount),
                                    i.map { SQLValue($0.frameCountCounted) } ?? .null, i.map { SQLValue($0.hasAudio) } ?? .null,
                                    SQLValue(r.error), SQLValue(labels.exercise), SQLValue(labels.exerciseSource?.rawValue),
                                    SQLValue(labels.quality), SQLValue(labels.qualitySource?.rawValue), SQLValue(labels.groupKey),
                                    SQLValue(labels.sourceKey), SQLValue(options.splits.split(forGroup: labels.groupKey)), SQLValue(now)])
                }
            }
            for r in results where r.error != nil {
                summary.probeErrors += 1
                console.message("\(dataset)/\(r.path): \(r.error!)")
            }
            summary.probed += chunk.count
            done += chunk.count
            task.update(done: Int64(done))
            if !console.isTerminal && (done >= nextLogLine || done == todo.count) {
                console.message("\(dataset): probed \(done)/\(todo.count)")
                nextLogLine = done + max(options.batch, todo.count / 10)
            }
        }
    }

    // MARK: Labels

    /// Applies rules and annotations to every row of the dataset; `manual` labels are kept.
    private func relabel(dataset: String, rules: LabelRules, annotations: AnnotationIndex) throws {
        let rows = try db.query("""
            SELECT id, path, exercise, exercise_source, quality, quality_source, group_key, source_key FROM videos WHERE dataset = ?
            """, [SQLValue(dataset)]).rows
        let update = try db.prepare("UPDATE videos SET exercise = ?, exercise_source = ?, quality = ?, quality_source = ?, group_key = ?, source_key = ? WHERE id = ?")
        let fingerprintKey = "annotations:\(dataset)"
        let storedFingerprint = try db.scalar("SELECT value FROM settings WHERE key = ?", [SQLValue(fingerprintKey)]).string
        let refreshAnnotations = storedFingerprint != annotations.fingerprint
        try db.transaction {
            for row in rows {
                let id = row[0].int!, path = row[1].string!
                var labels = Self.labels(for: path, rules: rules, annotations: annotations)
                if row[3].string == LabelSource.manual.rawValue { labels.exercise = row[2].string; labels.exerciseSource = .manual }
                if row[5].string == LabelSource.manual.rawValue { labels.quality = row[4].string; labels.qualitySource = .manual }
                let values: [SQLValue] = [SQLValue(labels.exercise), SQLValue(labels.exerciseSource?.rawValue), SQLValue(labels.quality),
                                          SQLValue(labels.qualitySource?.rawValue), SQLValue(labels.groupKey), SQLValue(labels.sourceKey)]
                if values != Array(row[2...7]) { try update.run(values + [SQLValue(id)]) }
            }
            guard refreshAnnotations else { return }
            try db.execute("DELETE FROM annotations WHERE video_id IN (SELECT id FROM videos WHERE dataset = ?)", [SQLValue(dataset)])
            let insert = try db.prepare("""
                INSERT INTO annotations (video_id, kind, value, number, start_s, end_s, source_file, source_line)
                SELECT id, ?, ?, ?, ?, ?, ?, ? FROM videos WHERE dataset = ? AND path = ?
                """)
            for (path, facts) in annotations.byVideo {
                for a in facts {
                    try insert.run([SQLValue(a.kind), SQLValue(a.value), SQLValue(a.number), SQLValue(a.start), SQLValue(a.end),
                                    SQLValue(a.sourceFile), SQLValue(a.line), SQLValue(dataset), SQLValue(path)])
                }
            }
            try db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           [SQLValue(fingerprintKey), SQLValue(annotations.fingerprint)])
        }
    }

    /// Rule labels, with an annotation's exercise taking precedence over a rule's.
    static func labels(for path: String, rules: LabelRules, annotations: AnnotationIndex) -> RuleLabels {
        var labels = rules.labels(for: path)
        if let exercise = annotations.exercise[path] { labels.exercise = exercise; labels.exerciseSource = .annotation }
        return labels
    }

    // MARK: Splits

    /// Recomputes duplicate links and splits over the whole catalog, writing only what changed.
    private func assignSplits() throws {
        let rows = try db.query("SELECT id, dataset, path, sha256, group_key, split, duplicate_of, source_key FROM videos").rows
        let members = rows.map { SplitPolicy.Member(id: Int64($0[0].int!), dataset: $0[1].string!, path: $0[2].string!,
                                                    sha256: $0[3].string!, group: $0[4].string!, source: $0[7].string) }
        let assigned = options.splits.assign(members)
        let update = try db.prepare("UPDATE videos SET split = ?, duplicate_of = ? WHERE id = ?")
        try db.transaction {
            for row in rows {
                let id = Int64(row[0].int!)
                let (split, duplicateOf) = assigned[id]!
                if row[5].string != split || row[6].int.map(Int64.init) != duplicateOf {
                    try update.run([SQLValue(split), duplicateOf.map { SQLValue(Int($0)) } ?? .null, SQLValue(Int(id))])
                }
            }
            try db.execute("INSERT INTO settings (key, value) VALUES ('split_ratios', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           [SQLValue(options.splits.text)])
        }
    }
}
