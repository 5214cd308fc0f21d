import BiomechCore
import CatalogStore
import Database
import Datasets
import Foundation
import Shards

/// What `biomech-window` is asked to do.
public struct WindowOptions: Sendable {
    public enum Input: Sendable, Equatable {
        /// The catalog's `ok` sequences, their files under `landmarks`.
        case catalog(path: String, landmarks: URL)
        /// Any folder in the sequence format (e.g. biomech-synth's output).
        case folder(URL)
    }

    /// Which coordinates go into `x`.
    public enum Coordinates: String, Sendable, CaseIterable {
        /// `.world.npy`: metres, origin between the hips.
        case world
        /// `.npy`'s x, y, z, with x and z times the frame's aspect ratio so all three are in frame heights.
        case image
    }

    public var input: Input
    /// The shard folder: `train/`, `val/`, `test/` are made in it.
    public var output: URL
    public var window = 60
    public var stride = 30
    public var shardSize = 1024
    public var coords = Coordinates.world
    public var thresholds = Thresholds()
    /// Splits of folder input, by sequence id.
    public var splitPolicy = SplitPolicy()
    public var jobs = ProcessInfo.processInfo.activeProcessorCount

    public init(input: Input, output: URL) {
        self.input = input
        self.output = output
    }
}

/// Windows every sequence into per-split shard folders, records catalog windows, and reports.
public final class WindowRun {
    public let options: WindowOptions
    private let console: Console
    /// Sequences windowed at a time: bounds memory to a chunk's windows.
    static let chunk = 64

    public init(options: WindowOptions, console: Console = .shared) {
        self.options = options
        self.console = console
    }

    public func run() throws -> WindowSummary {
        let started = ProcessInfo.processInfo.systemUptime
        let o = options
        guard o.window >= 2, o.stride >= 1, o.shardSize >= 1 else {
            throw WindowError("--window must be at least 2, --stride and --shard-size at least 1")
        }
        let (inputs, vocabulary, db) = try openInputs()
        var writers: [Split: ShardWriter] = [:]
        var tallies: [Split: SplitTally] = [:]
        for split in Split.allCases {
            writers[split] = try ShardWriter(folder: o.output.appendingPathComponent(split.rawValue), window: o.window, shardSize: o.shardSize)
            tallies[split] = SplitTally()
        }
        var summary = WindowSummary(sequences: inputs.count)
        var catalogRows: [WindowRow] = []
        let task = console.startTask("window", total: Int64(inputs.count), unit: .items("sequences"))
        defer { task.finish() }
        if !console.isTerminal { console.message("windowing \(inputs.count) sequences into \(o.output.path)") }
        for start in stride(from: 0, to: inputs.count, by: Self.chunk) {
            let chunk = Array(inputs[start..<min(start + Self.chunk, inputs.count)])
            let results = Parallel.map(chunk, jobs: o.jobs) { input in Self.window(input, vocabulary: vocabulary, options: o) }
            for (input, result) in zip(chunk, results) {
                var tally = tallies[input.split]!
                tally.sequences.append(.init(id: input.id, number: input.number))
                switch result {
                case .failure(let error):
                    summary.skipped.append(error.description)
                    console.message("skipped \(error)")
                case .success(let cut):
                    guard let writer = writers[input.split] else { continue }
                    for window in cut.windows {
                        let position = writer.appended
                        try writer.append(window.record)
                        tally.count(window.record.flags)
                        if db != nil {
                            catalogRows.append(WindowRow(split: input.split.rawValue, shard: position / o.shardSize, row: position % o.shardSize,
                                                         videoID: input.number, startFrame: Int(window.record.start), frames: o.window,
                                                         startSeconds: window.startSeconds, endSeconds: window.endSeconds))
                        }
                    }
                    for (reason, n) in cut.dropped { tally.dropped[reason.rawValue, default: 0] += n }
                    summary.frames += cut.frames
                }
                tallies[input.split] = tally
            }
            task.update(done: Int64(min(start + Self.chunk, inputs.count)))
        }
        for split in Split.allCases {
            guard let writer = writers[split], let tally = tallies[split] else { continue }
            let index = try writer.finish(indexTemplate(split, tally))
            summary.windows[split.rawValue] = index.windows
            summary.shards[split.rawValue] = index.shards.count
            for (reason, n) in tally.dropped { summary.dropped[reason, default: 0] += n }
        }
        if let db { try WindowTable(db).replace(folder: o.output.path, with: catalogRows) }
        summary.seconds = ProcessInfo.processInfo.systemUptime - started
        return summary
    }

    /// The inputs in order, the exercise vocabulary, and the catalog when it is the input.
    private func openInputs() throws -> ([SequenceInput], ExerciseVocabulary, Database?) {
        switch options.input {
        case .catalog(let path, let landmarks):
            guard FileManager.default.fileExists(atPath: path) else {
                throw WindowError("\(path): no catalog here; make one with `biomech-catalog scan` and `biomech-extract`")
            }
            let db = try CatalogStore.open(path)
            return (try SequenceInputs.catalog(db, landmarks: landmarks), try ExerciseVocabulary(db), db)
        case .folder(let folder):
            guard FileManager.default.fileExists(atPath: folder.path) else { throw WindowError("\(folder.path): no such folder") }
            return (try SequenceInputs.folder(folder, policy: options.splitPolicy), try ExerciseVocabulary.builtIn(), nil)
        }
    }

    /// Every window of one sequence, or why the sequence cannot be read.
    static func window(_ input: SequenceInput, vocabulary: ExerciseVocabulary, options o: WindowOptions) -> Result<SequenceCut, SequenceError> {
        do {
            let sequence = try SequenceInputs.load(input, vocabulary: vocabulary)
            return .success(WindowCutter.cut(sequence, CutSettings(window: o.window, stride: o.stride, coords: o.coords, thresholds: o.thresholds)))
        } catch let error as SequenceError {
            return .failure(error)
        } catch {
            return .failure(SequenceError(file: input.file.path, reason: "\(error)"))
        }
    }

    private func indexTemplate(_ split: Split, _ tally: SplitTally) -> ShardIndex {
        let o = options
        let isCatalog: Bool = if case .catalog = o.input { true } else { false }
        return ShardIndex(
            format: ShardIndex.formatName, version: ShardIndex.formatVersion, split: split.rawValue, window: o.window, stride: o.stride,
            coords: o.coords.rawValue, normalization: Self.normalization(o.coords),
            exercises: WindowVocabulary.exercises, qualities: WindowVocabulary.qualities, angles: WindowVocabulary.angles,
            heads: LabelHead.allCases.map(\.name), source: isCatalog ? "catalog" : "sequences",
            sequences: isCatalog ? [] : tally.sequences, windows: 0, dropped: tally.dropped,
            labelSources: tally.labelSources, thresholds: o.thresholds, shards: [])
    }

    static func normalization(_ coords: WindowOptions.Coordinates) -> String {
        "per frame, minus the mid-hip (mean of landmarks 23 and 24); divided by the window's median torso length "
            + "(mid-shoulder, landmarks 11 and 12, to mid-hip); "
            + (coords == .world ? "world coordinates in metres before scaling" : "image x and z times width/height, so x, y, z are in frame heights before scaling")
    }
}

/// Counts for one split's index.
struct SplitTally {
    var sequences: [ShardIndex.SequenceEntry] = []
    var dropped: [String: Int] = [:]
    var labelSources: [String: [String: Int]] = [:]

    mutating func count(_ flags: [UInt8]) {
        for head in LabelHead.allCases {
            let source = LabelSource(rawValue: flags[head.rawValue]) ?? .missing
            labelSources[head.name, default: [:]][source.name, default: 0] += 1
        }
    }
}

/// Why the stage could not run at all; exit code 2.
public struct WindowError: BiomechError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var exitCode: Int32 { ExitStatus.usage }
    public var description: String { message }
}
