import Biomechanics
import Drawing
import Foundation
import Video

/// The summary picture: the main joint's angles with the reps shaded, risk per joint over time,
/// the per-rep scores, and the key frame (the deepest point of the set) with its skeleton.
struct SummaryRenderer {
    let analysis: SetAnalysis
    let report: Report
    /// Joints whose risk is drawn: the four with the highest peaks.
    static let riskLines = 4

    /// The frame at the set's deepest point (or the middle one).
    var keyIndex: Int {
        ReportBuilder(analysis: analysis, forced: false, bodyMass: report.riskAssessment.bodyMassKg, load: report.riskAssessment.loadKg)
            .deepestFrame() ?? analysis.times.count / 2
    }
    var keyTime: Double { analysis.times[keyIndex] }

    /// `keyFrame`: the input frame at `keyTime` when the caller has it (the annotation pass keeps it).
    func write(to path: String, video: String?, keyFrame: DecodedFrame? = nil) throws {
        let a = analysis
        let main = a.profile.mainJoint
        var angleSeries: [(name: String, values: [Double?])] = [BodyAngle.Side.left, .right].map { side in
            let angle = BodyAngle(kind: main, side: side)
            return (angle.name.replacingOccurrences(of: "_", with: " "), a.angles.series(angle).map { $0.isFinite ? $0 : nil })
        }
        if main != .trunk {
            angleSeries.append(("trunk lean", a.angles.series(BodyAngle(kind: .trunk, side: .none)).map { $0.isFinite ? $0 : nil }))
        }
        let risky = RiskModel.Joint.allCases.map { joint in (joint, a.jointRisk[joint] ?? []) }
            .sorted { ($0.1.filter(\.isFinite).max() ?? 0) > ($1.1.filter(\.isFinite).max() ?? 0) }
            .prefix(Self.riskLines)
        let risks = risky.map { joint, series in
            (joint.rawValue.replacingOccurrences(of: "_", with: " "), series.map { $0.isFinite ? $0 : nil })
        }
        let reps = report.reps.items.map { (start: $0.start, end: $0.end, label: "\($0.number)") }
        let scores = report.reps.items.compactMap { rep in rep.score.map { (label: "rep \(rep.number)", score: $0) } }
        let r = report.riskAssessment
        let title = "\(a.profile.name.replacingOccurrences(of: "_", with: " ")) · \(report.reps.count) reps · score \(Int(report.overallScore.rounded())) · risk \(r.level.replacingOccurrences(of: "_", with: " ")) (\(Int(r.score.rounded())))"
        let figure = SummaryFigure(title: title, time: a.times, angles: angleSeries, reps: reps, risks: Array(risks), repScores: scores,
                                   keyFrame: try self.keyFrame(video: video, decoded: keyFrame))
        do { try figure.write(to: URL(fileURLWithPath: path)) } catch { throw AnalysisError.failure("--summary \(error)") }
    }

    /// The frame at the set's deepest point (or the middle one), from the video when there is one,
    /// else a plain dark frame of the sequence's aspect.
    func keyFrame(video: String?, decoded: DecodedFrame?) throws -> SummaryFigure.KeyFrame? {
        let a = analysis
        let deepest = keyIndex
        let time = a.times[deepest]
        var pixels: [UInt8]?, width = 640, height = 480
        if let decoded {
            pixels = decoded.rgb; width = decoded.width; height = decoded.height
        } else if let video, let decoder = try? VideoDecoder(path: video, settings: .allFrames(maxSide: 960, threads: 0)) {
            var best: DecodedFrame?
            while let frame = try? decoder.next() {
                if best == nil || abs(frame.time - time) < abs(best!.time - time) { best = frame }
                if frame.time > time { break }
            }
            if let best { pixels = best.rgb; width = best.width; height = best.height }
        }
        if pixels == nil { pixels = [UInt8](repeating: 40, count: width * height * 3) }
        let skeleton = AnnotationRenderer.skeleton(a, frame: deepest, width: width, height: height)
        let caption = String(format: "deepest point, %.1f s", time)
        return SummaryFigure.KeyFrame(pixels: pixels!, width: width, height: height, skeleton: skeleton, caption: caption)
    }
}
