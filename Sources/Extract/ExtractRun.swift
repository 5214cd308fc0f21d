import BiomechCore
import CatalogStore
import Database
import Dispatch
import Foundation
import Pose

/// What `biomech-extract` is asked to do.
public struct ExtractOptions: Sendable {
    /// The catalog made by `biomech-catalog scan`.
    public var catalog: String
    /// The fetched data: videos are `DATA/<dataset>/files/<path>`.
    public var data: URL
    /// Sequences go to `OUTPUT/<dataset>/<video id>.npy` (and `.world.npy`, `.json`).
    public var output: URL
    public var selection = SequenceSelection()
    public var settings = ExtractSettings()
    /// Worker processes.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    public var files = MediaPipeFiles.located()
    /// Starts one worker: this executable and its hidden `worker` arguments.
    public var workerCommand: [String]
    /// Fault injection for the tests: the worker SIGKILLs itself after `frames` frames of the video
    /// whose catalog path ends with `pathSuffix`.
    public var killWorker: (pathSuffix: String, frames: Int)?

    public init(catalog: String, data: URL, output: URL, workerCommand: [String]) {
        self.catalog = catalog
        self.data = data
        self.output = output
        self.workerCommand = workerCommand
    }
}

/// Why the stage could not run at all (no catalog, bad options); names the file and the fix.
public struct ExtractError: BiomechError {
    public var message: String
    public var exitCode: Int32
    public init(_ message: String, exitCode: Int32 = ExitStatus.usage) { self.message = message; self.exitCode = exitCode }
    public var description: String { message }
}

/// Extracts the selected videos with worker processes and records every outcome in the catalog.
///
/// The parent owns the catalog: one transaction per finished video, after its files are in place,
/// so a killed run leaves finished videos recorded and the rest to do. Ctrl-C (SIGINT) or SIGTERM
/// stops the workers, records nothing for the videos they were on, and returns `interrupted`.
public final class ExtractRun {
    public let options: ExtractOptions
    private let console: Console

    public init(options: ExtractOptions, console: Console = .shared) {
        self.options = options
        self.console = console
    }

    public func run() throws -> ExtractSummary {
        let started = ProcessInfo.processInfo.systemUptime
        guard FileManager.default.fileExists(atPath: options.catalog) else {
            throw ExtractError("\(options.catalog): no catalog here; index the videos first with `biomech-catalog scan` (make catalog)")
        }
        guard options.jobs >= 1 else { throw ExtractError("--jobs must be at least 1, not \(options.jobs)") }
        let backend = try PoseBackend.identify(options.files)
        let hash = settingsHash(options.settings, backend)
        let db = try CatalogStore.open(options.catalog)
        let table = SequenceTable(db)
        let (candidates, selected) = try plan(table, hash: hash)
        var summary = ExtractSummary(selected: selected, planned: candidates.count)
        guard !candidates.isEmpty else {
            summary.seconds = ProcessInfo.processInfo.systemUptime - started
            return summary
        }
        let lock = try FileLock(path: options.output.appendingPathComponent(".extract.lock").path) { holder in
            self.console.message("waiting for \(holder), which is extracting into \(self.options.output.path)")
        }
        defer { lock.unlock() }
        let swept = Self.removeTemporaries(in: options.output)
        if swept > 0 { console.message("removed \(swept) temporary files an interrupted run left in \(options.output.path)") }

        let jobs = candidates.map { job(for: $0, backend: backend, hash: hash) }
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("biomech-extract-\(getpid())")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let pool = WorkerPool(jobs: jobs, slots: options.jobs, command: options.workerCommand, logFolder: logs)
        summary.workers = pool.slots
        let byVideo = Dictionary(uniqueKeysWithValues: candidates.map { ($0.videoID, $0) })
        var expectedFrames = candidates.reduce(Int64(0)) { $0 + Int64(expected(frames: $1)) }
        let task = console.startTask("extract", total: expectedFrames, unit: .items("frames"))
        defer { task.finish() }
        console.message("extracting \(candidates.count) videos (\(Format.count(expectedFrames)) frames expected) with \(pool.slots) workers"
                        + (summary.selected > candidates.count ? "; \(summary.selected - candidates.count) more are up to date" : ""))
        let signals = Self.catchInterrupts { pool.stop() }
        defer { signals.forEach { $0.cancel() } }

        pool.start()
        var running = pool.slots, inFlight: [Int: Int] = [:], completedFrames = 0, finished = 0
        var failure: Error?
        while running > 0 {
            switch pool.next() {
            case .ready(_, let network):
                if let network, summary.networkNotIsolated == nil {
                    summary.networkNotIsolated = network
                    console.message("warning: MediaPipe's telemetry is not cut off (\(network)); docs/EXTRACT.md, \"Telemetry\"")
                }
            case .started(let slot, _):
                inFlight[slot] = 0
            case .progress(let slot, let frames):
                inFlight[slot] = frames
                task.update(done: Int64(completedFrames + inFlight.values.reduce(0, +)))
            case .finished(let slot, let job, let outcome):
                inFlight[slot] = nil
                completedFrames += outcome.frames
                // The bar's total was the catalog's estimate: swap it for what the video really gave.
                expectedFrames += Int64(outcome.frames - (byVideo[job.videoID].map(expected(frames:)) ?? 0))
                finished += 1
                guard failure == nil, let candidate = byVideo[job.videoID] else { continue }
                do {
                    try db.transaction { try table.record(row(job, candidate, outcome, backend: backend)) }
                } catch {
                    failure = error
                    pool.stop()
                    continue
                }
                summary.add(outcome)
                task.setNote("\(finished)/\(candidates.count) videos")
                task.update(done: Int64(completedFrames + inFlight.values.reduce(0, +)), total: max(1, expectedFrames))
                report(candidate, outcome, index: finished, of: candidates.count)
            case .abandoned(let slot, _):
                inFlight[slot] = nil
                summary.abandoned += 1
            case .fatal(let message, let exitCode):
                if failure == nil { failure = ExtractError(message, exitCode: exitCode) }
            case .slotEnded:
                running -= 1
            }
        }
        // No worker is left: whatever temporary file a killed one was writing can go now.
        _ = Self.removeTemporaries(in: options.output)
        if let failure { throw failure }
        summary.interrupted = pool.isStopping
        summary.seconds = ProcessInfo.processInfo.systemUptime - started
        return summary
    }

    /// The videos to extract, in dataset and path order, and how many the selection matches in all.
    ///
    /// Besides those the catalog says are out of date, a sequence recorded `ok` whose `.npy` or
    /// `.json` is not in the output folder (deleted, or another `--out`) is made again.
    private func plan(_ table: SequenceTable, hash: String) throws -> (candidates: [ExtractCandidate], selected: Int) {
        var unlimited = options.selection
        unlimited.limit = nil
        var everything = unlimited
        everything.force = true
        let all = try table.candidates(everything, settingsSHA256: hash)
        var chosen = try table.candidates(unlimited, settingsSHA256: hash)
        if !options.selection.force {
            let planned = Set(chosen.map(\.videoID))
            let recorded = try table.okPaths()
            let lost = all.filter { candidate in
                guard !planned.contains(candidate.videoID), let path = recorded[candidate.videoID] else { return false }
                let npy = options.output.appendingPathComponent(path)
                let json = npy.deletingPathExtension().appendingPathExtension("json")
                return !FileManager.default.fileExists(atPath: npy.path) || !FileManager.default.fileExists(atPath: json.path)
            }
            if !lost.isEmpty {
                console.message("\(lost.count) sequences the catalog records are missing from \(options.output.path): extracting them again")
                let order = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.videoID, $0) })
                chosen = (chosen + lost).sorted { order[$0.videoID, default: 0] < order[$1.videoID, default: 0] }
            }
        }
        if let limit = options.selection.limit { chosen = Array(chosen.prefix(limit)) }
        return (chosen, all.count)
    }

    private func job(for candidate: ExtractCandidate, backend: PoseBackend, hash: String) -> ExtractJob {
        let input = options.data.appendingPathComponent(candidate.dataset).appendingPathComponent("files").appendingPathComponent(candidate.path)
        let output = options.output.appendingPathComponent(candidate.dataset).appendingPathComponent("\(candidate.videoID).npy")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var kill: Int?
        if let fault = options.killWorker, candidate.path.hasSuffix(fault.pathSuffix) { kill = fault.frames }
        return ExtractJob(videoID: candidate.videoID, input: input.path, output: output.path,
                          source: SequenceSource(dataset: candidate.dataset, path: candidate.path, sha256: candidate.sha256,
                                                 exercise: candidate.exercise, quality: candidate.quality, split: candidate.split.rawValue),
                          settings: options.settings, backend: backend, settingsSHA256: hash,
                          decoderThreads: max(1, cores / max(1, min(options.jobs, cores))), killAfterFrames: kill)
    }

    /// Frames a video will give after resampling, from what probing found (for the progress bar).
    private func expected(frames candidate: ExtractCandidate) -> Int {
        guard candidate.fps > 0 else { return candidate.frameCount }
        let target = options.settings.fps ?? min(candidate.fps, 30)
        return Int((Double(candidate.frameCount) * min(1, target / candidate.fps)).rounded())
    }

    private func row(_ job: ExtractJob, _ candidate: ExtractCandidate, _ outcome: ExtractOutcome, backend: PoseBackend) -> SequenceRow {
        SequenceRow(videoID: job.videoID, path: outcome.status == .ok ? "\(candidate.dataset)/\(candidate.videoID).npy" : nil,
                    videoSHA256: candidate.sha256, frames: outcome.frames, fps: outcome.fps, detectedFraction: outcome.detectedFraction,
                    meanVisibility: outcome.meanVisibility, backend: backend.label(options.settings.mode), settingsSHA256: job.settingsSHA256,
                    status: outcome.status, message: outcome.message, seconds: outcome.seconds,
                    extractedAt: ISO8601DateFormatter().string(from: Date()))
    }

    /// One line per video in logs; on a terminal only the failures (the bar shows the rest).
    private func report(_ candidate: ExtractCandidate, _ outcome: ExtractOutcome, index: Int, of total: Int) {
        guard !console.isTerminal || outcome.status != .ok else { return }
        var line = "[\(index)/\(total)] \(candidate.dataset)/\(candidate.path): \(outcome.status.rawValue), \(outcome.frames) frames"
        if let detected = outcome.detectedFraction { line += String(format: ", %.0f%% with a person", detected * 100) }
        line += String(format: ", %.1f s", outcome.seconds)
        if let message = outcome.message { line += ": " + message }
        console.message(line)
    }

    /// Deletes the hidden temporary files (`.NAME.tmp-PID-N`, from `AtomicFile`) under `folder`.
    /// Only called with the extract lock held, when no other writer can be at work there.
    static func removeTemporaries(in folder: URL) -> Int {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return 0 }
        var removed = 0
        while let url = walker.nextObject() as? URL {
            let name = url.lastPathComponent
            guard name.hasPrefix("."), name.contains(".tmp-") else { continue }
            if (try? FileManager.default.removeItem(at: url)) != nil { removed += 1 }
        }
        return removed
    }

    /// Runs `handler` (once per signal) on SIGINT and SIGTERM instead of dying; cancel the sources to restore.
    private static func catchInterrupts(_ handler: @escaping @Sendable () -> Void) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.setCancelHandler { signal(number, SIG_DFL) }
            source.resume()
            return source
        }
    }
}
