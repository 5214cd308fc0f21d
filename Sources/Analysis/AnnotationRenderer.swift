import Biomechanics
import BiomechCore
import Drawing
import Extract
import Foundation
import Video

/// Draws the analysis onto every frame of the input and encodes the annotated video.
///
/// Every input frame is decoded at its own time (no resampling), at the input's size or with its
/// long side at most `maxSide`; the skeleton drawn is the pose of the analysed frame nearest in
/// time (none when the nearest is more than one analysed frame away), joints coloured by torque
/// risk, with a panel of the live values: the class, the latest window's score, reps done, risk.
struct AnnotationRenderer {
    let analysis: SetAnalysis
    let maxSide: Int?
    let console: Console
    /// Wall seconds spent waiting for decoded frames, drawing and encoding in the last `render`.
    private(set) var seconds: [String: Double] = [:]
    /// When set, `render` keeps the undrawn input frame nearest this time (the summary's key frame).
    var keyTime: Double?
    private(set) var keyFrame: DecodedFrame?

    init(analysis: SetAnalysis, maxSide: Int?, console: Console) {
        self.analysis = analysis
        self.maxSide = maxSide
        self.console = console
    }

    private mutating func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = ProcessInfo.processInfo.systemUptime
        defer { seconds[name, default: 0] += ProcessInfo.processInfo.systemUptime - start }
        return try body()
    }

    mutating func render(video: String, to output: String) throws {
        let decoder: VideoDecoder
        do { decoder = try VideoDecoder(path: video, settings: .allFrames(maxSide: maxSide ?? .max, threads: 0)) } catch {
            throw AnalysisError.failure("\(video): cannot be decoded for --output: \(error.reason)")
        }
        let encoder: VideoEncoder
        do { encoder = try VideoEncoder(path: output, like: decoder) } catch { throw AnalysisError.failure("--output \(error)") }
        let overlay = PoseOverlay()
        let duration = max(analysis.times.last ?? 0, 1e-3)
        let task = console.startTask("annotate", total: Int64((duration * 1000).rounded()), unit: .items("ms"))
        defer { task.finish() }
        // Decoding runs ahead on its own thread while this one draws and libx264's threads encode.
        let frames = FramePrefetcher(decoder)
        defer { frames.close() }
        var drawn = 0
        reading: while true {
            let frame: DecodedFrame
            switch timed("waiting for frames", { frames.next() }) {
            case .frame(let decoded): frame = decoded
            case .end: break reading
            case .failure(let error): throw AnalysisError.failure("\(video): decoding for --output failed: \(error.reason)")
            }
            if let keyTime, keyFrame == nil || abs(frame.time - keyTime) < abs(keyFrame!.time - keyTime) { keyFrame = frame }
            var rgb = frame.rgb
            let skeleton = skeleton(at: frame.time, width: frame.width, height: frame.height), panel = panel(at: frame.time)
            try timed("draw") { try overlay.draw(on: &rgb, width: frame.width, height: frame.height, skeleton: skeleton, panel: panel) }
            do { try timed("encode") { try encoder.write(rgb: rgb, width: frame.width, height: frame.height, time: frame.time) } } catch {
                throw AnalysisError.failure("--output \(error)")
            }
            drawn += 1
            if drawn % 8 == 0 { task.update(done: Int64((frame.time * 1000).rounded())) }
        }
        frames.close()
        if let failure = decoder.readFailure { throw AnalysisError.failure("\(video): reading for --output stopped: \(failure)") }
        do { try timed("encode") { try encoder.finish() } } catch { throw AnalysisError.failure("--output \(error)") }
    }

    /// The analysed frame shown at `time`, nil when none is within one analysed frame.
    func analysedFrame(at time: Double) -> Int? {
        guard let t = analysis.frame(near: time), abs(analysis.times[t] - time) <= 1 / analysis.fps + 1e-6 else { return nil }
        return t
    }

    /// The skeleton in pixels of a `width` x `height` frame at `time`.
    func skeleton(at time: Double, width: Int, height: Int) -> PoseOverlay.Skeleton {
        Self.skeleton(analysis, frame: analysedFrame(at: time), width: width, height: height)
    }

    static func skeleton(_ analysis: SetAnalysis, frame t: Int?, width: Int, height: Int) -> PoseOverlay.Skeleton {
        guard let t else { return PoseOverlay.Skeleton(points: [], risks: [], edges: SkeletonGraph.poseConnections) }
        let points: [Point2?] = (0..<33).map { l in
            let x = analysis.image[(t * 33 + l) * 4], y = analysis.image[(t * 33 + l) * 4 + 1]
            guard x.isFinite, y.isFinite else { return nil }
            return Point2(x: Double(x) * Double(width), y: Double(y) * Double(height))
        }
        return PoseOverlay.Skeleton(points: points, risks: analysis.landmarkRisk(at: t), edges: SkeletonGraph.poseConnections)
    }

    /// The panel's lines at `time`: what was known by then.
    func panel(at time: Double) -> [String] {
        guard let t = analysis.frame(near: time) else { return [] }
        var lines = [analysis.profile.name.replacingOccurrences(of: "_", with: " ")]
        if let window = analysis.window(at: t) {
            let top = window.probabilities.indices.max { window.probabilities[$0] < window.probabilities[$1] } ?? 0
            if analysis.classNames[top] != analysis.profile.name || analysis.profile.modelClass == nil {
                lines[0] += "  (model: \(analysis.classNames[top].replacingOccurrences(of: "_", with: " ")) \(Int((window.probabilities[top] * 100).rounded()))%)"
            } else {
                lines[0] += " \(Int((window.probabilities[top] * 100).rounded()))%"
            }
            lines.append("score \(Int(window.form.rounded()))")
        }
        lines.append("reps \(analysis.repsDone(at: t))")
        let risk = analysis.landmarkRisk(at: t).compactMap { $0 }.max()
        if let risk { lines.append("joint risk \(Int(risk.rounded()))") }
        return lines
    }
}
