import Biomechanics
import BiomechCore
import CatalogStore
import Database
import Datasets
import Extract
import Foundation
import Pose
import Shards
import Video
import Windowing

/// Analyses one set: frames -> landmarks -> windows -> model -> report, annotated video, summary.
///
/// Uses extraction's decoder and pose path (`LandmarkExtractor`) and windowing's cutter
/// (`WindowCutter`) as they are, so the model sees the windows it was trained on.
public final class Analyzer {
    public let options: AnalyzeOptions
    public let files: MediaPipeFiles
    let console: Console

    public init(options: AnalyzeOptions, files: MediaPipeFiles = .located(), console: Console = .shared) {
        self.options = options
        self.files = files
        self.console = console
    }

    /// The settings extraction uses by default: analysis must see the same landmarks.
    public static let extractSettings = ExtractSettings()

    /// The canonical exercise `--exercise` names, nil for `auto`; throws on an unknown name.
    public static func resolveExercise(_ text: String) throws -> ExerciseProfile? {
        guard text != "auto" else { return nil }
        let vocabulary = try ExerciseVocabulary.builtIn()
        guard let name = vocabulary.canonical(text), let profile = ExerciseProfile.named(name) else {
            throw AnalysisError.usage("--exercise '\(text)': not an exercise biomech knows; use auto or one of \(vocabulary.names.sorted().joined(separator: ", "))")
        }
        return profile
    }

    /// Checks the options before any work, so bad usage costs nothing.
    public func validate() throws -> (AnalysisSource, ExerciseProfile?) {
        let o = options
        let source = AnalysisSource(o.source)
        guard o.stride >= 1 else { throw AnalysisError.usage("--stride must be at least 1, not \(o.stride)") }
        guard o.bodyMass.isFinite, o.bodyMass > 0 else { throw AnalysisError.usage("--body-mass must be a positive number of kg, not \(o.bodyMass)") }
        if let load = o.load, !(load.isFinite && load >= 0) { throw AnalysisError.usage("--load must be 0 or more kg, not \(load)") }
        if let side = o.maxSide, side < 16 { throw AnalysisError.usage("--max-side must be at least 16 pixels, not \(side)") }
        guard o.threads >= 1 else { throw AnalysisError.usage("--threads must be at least 1") }
        let forced = try Self.resolveExercise(o.exercise)
        switch source {
        case .video(let path), .sequence(let path):
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw AnalysisError.usage("\(path): no such file (--source)") }
            guard !isFolder.boolValue, FileManager.default.isReadableFile(atPath: path) else {
                throw AnalysisError.usage("\(path): not a readable file (--source)")
            }
        case .standardInput, .device: break
        }
        if case .sequence = source, o.output != nil {
            throw AnalysisError.usage("--output needs a video source: a landmark sequence has no frames to draw on")
        }
        if case .device = source, !o.stream { throw AnalysisError.usage("a device source never ends: add --stream") }
        if source.isLive && o.stream && (o.output != nil || o.summary != nil) {
            throw AnalysisError.usage("--output and --summary need a video file (or a finite stream without --stream)")
        }
        return (source, forced)
    }

    /// Runs the whole analysis and writes what was asked for; returns the report.
    ///
    /// `model` is the checkpoint already loaded (the service's workers keep it between videos);
    /// nil reads `options.model`.
    @discardableResult
    public func run(model preloaded: AnalysisModel? = nil) throws -> Report {
        let (source, forced) = try validate()
        let model = try preloaded ?? AnalysisModel(path: options.model, threads: options.threads)
        if options.stream {
            return try LiveAnalyzer(options: options, model: model, forced: forced, files: files).run(source)
        }
        var spool: URL?
        defer { if let spool { try? FileManager.default.removeItem(at: spool) } }
        var input = source
        if source == .standardInput {
            spool = try Self.spoolStandardInput()
            input = .video(spool!.path)
        }
        let (sequence, provenance) = try timed("landmarks") { try load(input, shownAs: options.source) }
        let analysis = try timed("model and aggregation") { try analyse(sequence, model: model, forced: forced) }
        var report = ReportBuilder(analysis: analysis, forced: forced != nil, bodyMass: options.bodyMass, load: load(for: analysis.profile))
            .report(provenance: provenance.filled(model: model, sequence: sequence, windows: analysis.windows.count, stride: options.stride))
        report.provenance.windowsDropped = droppedCounts
        let summaryRenderer = SummaryRenderer(analysis: analysis, report: report)
        var keyFrame: DecodedFrame?
        if let output = options.output, case .video(let path) = input {
            var renderer = AnnotationRenderer(analysis: analysis, maxSide: options.maxSide, console: console)
            if options.summary != nil { renderer.keyTime = summaryRenderer.keyTime }
            try renderer.render(video: path, to: output)
            keyFrame = renderer.keyFrame
            for (name, seconds) in renderer.seconds { timings["annotate: \(name)"] = seconds }
        }
        if let summary = options.summary {
            let video: String? = if case .video(let path) = input { path } else { nil }
            try timed("summary") { try summaryRenderer.write(to: summary, video: video, keyFrame: keyFrame) }
        }
        if let json = options.json { try JSONOutput.write(report, to: URL(fileURLWithPath: json), pretty: true) }
        return report
    }

    /// The load the torque model uses: `--load`, or the exercise's default (0 outside the model's classes).
    func load(for profile: ExerciseProfile) -> Double {
        if let load = options.load { return load }
        guard let exercise = profile.modelClass else { return 0 }
        return options.bodyMass * RiskModel.defaultLoadFraction(exercise)
    }

    private var droppedCounts: [String: Int] = [:]

    /// Wall seconds of each part of the last `run()`, by name (the annotated video's by its steps).
    public private(set) var timings: [String: Double] = [:]

    private func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = ProcessInfo.processInfo.systemUptime
        defer { timings[name, default: 0] += ProcessInfo.processInfo.systemUptime - start }
        return try body()
    }

    /// Windows, predictions and aggregation of a loaded sequence.
    func analyse(_ sequence: LoadedSequence, model: AnalysisModel, forced: ExerciseProfile?, thresholds: Thresholds = Thresholds()) throws -> SetAnalysis {
        let w = model.window
        guard sequence.frames >= w else {
            throw AnalysisError.failure("\(options.source): \(sequence.frames) frames (\(String(format: "%.1f", Double(sequence.frames) / sequence.fps)) s at \(String(format: "%g", sequence.fps)) fps) is shorter than one window of \(w) frames (\(String(format: "%.1f", Double(w) / sequence.fps)) s)",
                                       cause: .tooShort, frames: sequence.frames)
        }
        let settings = CutSettings(window: w, stride: options.stride, coords: model.coords, thresholds: thresholds)
        let cut = WindowCutter.cut(sequence, settings, labelled: false)
        droppedCounts = Dictionary(uniqueKeysWithValues: cut.dropped.map { ($0.key.rawValue, $0.value) })
        guard !cut.windows.isEmpty else {
            let why = cut.dropped.map { "\($0.value) \($0.key.rawValue)" }.sorted().joined(separator: ", ")
            throw AnalysisError.failure("\(options.source): no window could be analysed (\(why)): the person is missing from too many frames", cause: .tooShort,
                                        frames: sequence.frames)
        }
        let results = try WindowResult.predict(cut.windows, model: model.model)
        return Aggregator.analyse(sequence, windows: results, classNames: model.model.classNames, forced: forced, bodyMass: options.bodyMass,
                                  load: options.load, maxGap: settings.thresholds.maxGap)
    }
}
