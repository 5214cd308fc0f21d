import BiomechCore
import Extract
import Foundation
import Pose
import Shards
import Video
import Windowing

/// One line of `--stream` output: a window's result as soon as its last frame has been seen.
public struct StreamLine: Codable, Sendable, Equatable {
    public var window: Int
    public var start: Double, end: Double
    /// `ok`, or `dropped` with `reason` (a windowing drop reason).
    public var status: String
    public var reason: String?
    public var form: Double?, risk: Double?
    public var exercise: String?, confidence: Double?
    /// From the moment the window's last frame was decoded to this line, milliseconds.
    public var latencyMs: Double
    /// Frames skipped so far because analysis had fallen behind the source's clock.
    public var droppedFrames: Int

    enum CodingKeys: String, CodingKey {
        case window, start, end, status, reason, form, risk, exercise, confidence
        case latencyMs = "latency_ms", droppedFrames = "dropped_frames"
    }
}

/// Analyses a stream as it arrives: pose per frame in video mode with the stream's timestamps,
/// a window every `stride` frames, one JSON line per window (docs/REPORT.md, "Streaming").
///
/// It keeps up by dropping frames: a frame that arrives more than `maxLag` behind the stream's
/// clock (its timestamp against the wall time since the first frame) gets no pose. It is filled by
/// interpolation like a short detector miss, but does not count against a window's missing-frame
/// limits: those are raised by the window's share of dropped frames (nobody was looked for).
final class LiveAnalyzer {
    static let maxLag = 0.1
    let options: AnalyzeOptions
    let model: AnalysisModel
    let forced: ExerciseProfile?
    let files: MediaPipeFiles
    var emit: (StreamLine) -> Void = { line in
        if let data = try? JSONOutput.data(line) { FileHandle.standardOutput.write(data) }
    }
    /// Wall seconds; the tests give a slow clock to see frames dropped.
    var clock: () -> Double = { ProcessInfo.processInfo.systemUptime }
    private(set) var latencies: [Double] = []
    /// Frames that went through the pose model.
    private(set) var posed = 0
    private(set) var dropped = 0

    init(options: AnalyzeOptions, model: AnalysisModel, forced: ExerciseProfile?, files: MediaPipeFiles) {
        self.options = options
        self.model = model
        self.forced = forced
        self.files = files
    }

    func run(_ source: AnalysisSource) throws -> Report {
        let videoSource: VideoSource
        switch source {
        case .standardInput: videoSource = .pipe(STDIN_FILENO)
        case .device(let path): videoSource = .device(path)
        case .video(let path): videoSource = .file(path)
        case .sequence: throw AnalysisError.usage("--stream reads a video or a live source, not a landmark sequence")
        }
        let settings = Analyzer.extractSettings
        let decoder: VideoDecoder
        do { decoder = try VideoDecoder(source: videoSource, settings: settings.decode(threads: 0)) } catch {
            throw AnalysisError.failure("\(options.source): \(error.reason)")
        }
        let tracker = try PoseTracker(files: files, settings: settings)
        let w = model.window, stride = options.stride
        var sequence = ExtractedSequence()
        var skipped: [Bool] = []
        var wallStart: Double?, mediaStart = 0.0
        var windowNumber = 0
        while true {
            let frame: DecodedFrame
            do {
                guard let next = try decoder.next() else { break }
                frame = next
            } catch { throw AnalysisError.failure("\(options.source): \(error.reason)") }
            let arrived = clock()
            if wallStart == nil { wallStart = arrived; mediaStart = frame.time }
            let lag = (arrived - wallStart!) - (frame.time - mediaStart)
            skipped.append(lag > Self.maxLag)
            if lag > Self.maxLag {
                dropped += 1
                sequence.append(time: frame.time, pose: nil)
            } else {
                sequence.append(time: frame.time, pose: try tracker.detect(frame))
                posed += 1
            }
            let k = sequence.frames
            if k >= w, (k - w) % stride == 0 {
                let share = Double(skipped.suffix(w).filter { $0 }.count) / Double(w)
                emitWindow(number: windowNumber, sequence: sequence, skipped: Array(skipped.suffix(w)), arrived: arrived,
                           fps: decoder.info.fps, droppedShare: share,
                           aspect: Double(decoder.info.width) / Double(max(1, decoder.info.height)))
                windowNumber += 1
            }
        }
        if let failure = decoder.readFailure { FileHandle.standardError.write(Data("biomech-analyze: reading stopped: \(failure)\n".utf8)) }
        guard sequence.detectedFrames > 0 else { throw AnalysisError.failure("\(options.source): no person found on any of \(sequence.frames) frames") }
        let info = decoder.info
        let loaded = LoadedSequence(sequence, info: info, name: options.source)
        let analyzer = Analyzer(options: options, files: files)
        let analysis = try analyzer.analyse(loaded, model: model, forced: forced,
                                            thresholds: Self.thresholds(Double(dropped) / Double(max(1, sequence.frames))))
        let facts = InputFacts(input: options.source, kind: AnalysisSource(options.source).kind, sha256: nil, width: info.width, height: info.height,
                               pose: analyzer.poseBackend)
        let report = ReportBuilder(analysis: analysis, forced: forced != nil, bodyMass: options.bodyMass, load: analyzer.load(for: analysis.profile))
            .report(provenance: facts.filled(model: model, sequence: loaded, windows: analysis.windows.count, stride: stride))
        if let json = options.json { try JSONOutput.write(report, to: URL(fileURLWithPath: json), pretty: true) }
        let sorted = latencies.sorted()
        if !sorted.isEmpty {
            let median = sorted[sorted.count / 2], p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
            FileHandle.standardError.write(Data(String(format: "biomech-analyze: %d windows, latency median %.1f ms, p99 %.1f ms, %d frames dropped\n",
                                                       windowNumber, median, p99, dropped).utf8))
        }
        return report
    }

    /// Frames dropped at the start or end of a live window copy the nearest analysed frame inside it:
    /// interpolation needs a frame on both sides, and the newest frame may be one that was skipped.
    static func holdEnds(_ image: inout [Float], _ world: inout [Float], skipped: [Bool]) {
        let analysed = skipped.indices.filter { !skipped[$0] }
        guard let firstSeen = analysed.first, let lastSeen = analysed.last else { return }
        func copy(from source: Int, to target: Int) {
            for i in 0..<132 { image[target * 132 + i] = image[source * 132 + i] }
            for i in 0..<99 { world[target * 99 + i] = world[source * 99 + i] }
        }
        for t in 0..<firstSeen { copy(from: firstSeen, to: t) }
        for t in (lastSeen + 1)..<skipped.count { copy(from: lastSeen, to: t) }
    }

    /// Windowing's limits, with the missing-frame and missing-landmark shares raised by the share of
    /// frames dropped to keep up.
    static func thresholds(_ droppedShare: Double) -> Thresholds {
        let base = Thresholds()
        return Thresholds(maxGap: base.maxGap, maxMissingFrames: base.maxMissingFrames + droppedShare,
                          maxMissingLandmarks: base.maxMissingLandmarks + droppedShare)
    }

    /// Cuts, predicts and prints the window that ends at the sequence's newest frame.
    private func emitWindow(number: Int, sequence: ExtractedSequence, skipped: [Bool], arrived: Double, fps: Double, droppedShare: Double,
                            aspect: Double) {
        let w = model.window, first = sequence.frames - w
        var image = Array(sequence.image[(first * 132)...]), world = Array(sequence.world[(first * 99)...])
        Self.holdEnds(&image, &world, skipped: skipped)
        let loaded = LoadedSequence(input: SequenceInput(id: "live", number: 0, split: .test, file: URL(fileURLWithPath: "/")), frames: w, fps: fps,
                                    image: image, world: world, times: Array(sequence.times[first...]), aspect: aspect, labels: SequenceLabels())
        let cut = WindowCutter.cut(loaded, CutSettings(window: w, stride: w, coords: model.coords, thresholds: Self.thresholds(droppedShare)),
                                   labelled: false)
        var line = StreamLine(window: number, start: round3(loaded.times[0]), end: round3(loaded.times[w - 1]), status: "ok", latencyMs: 0,
                              droppedFrames: dropped)
        if let window = cut.windows.first, let result = try? WindowResult.predict([window], model: model.model, batch: 1).first {
            let top = result.probabilities.indices.max { result.probabilities[$0] < result.probabilities[$1] } ?? 0
            line.form = round1(result.form)
            line.risk = round1(result.risk)
            line.exercise = model.model.classNames[top]
            line.confidence = round3(result.probabilities[top])
        } else {
            line.status = "dropped"
            line.reason = cut.dropped.keys.first?.rawValue ?? "no_window"
        }
        line.latencyMs = round1((clock() - arrived) * 1000)
        latencies.append(line.latencyMs)
        emit(line)
    }
}
