import Biomechanics
import Foundation

/// Builds the report from a `SetAnalysis` (rules: docs/REPORT.md).
public struct ReportBuilder {
    public var analysis: SetAnalysis
    /// True when `--exercise` named the exercise.
    public var forced: Bool
    public var bodyMass: Double
    public var load: Double

    public init(analysis: SetAnalysis, forced: Bool, bodyMass: Double, load: Double) {
        self.analysis = analysis
        self.forced = forced
        self.bodyMass = bodyMass
        self.load = load
    }

    public func report(provenance: Report.Provenance) -> Report {
        let assessments = self.assessments()
        let reps = self.reps(assessments)
        let concerns = formConcerns(reps, assessments) + riskConcerns(reps)
        let modelRisk = analysis.windows.map(\.risk).max() ?? 0
        let torqueRisk = analysis.jointRisk.values.flatMap { $0.filter(\.isFinite) }.max() ?? 0
        let score = max(modelRisk, torqueRisk)
        let scores = reps.compactMap(\.score)
        let overall = scores.isEmpty ? mean(analysis.windows.map(\.form)) : mean(scores)
        return Report(
            overallScore: round1(overall), exerciseType: exerciseType(),
            riskAssessment: .init(level: Self.level(score), band: RiskBand(risk: score).rawValue, score: round1(score),
                                  modelScore: round1(modelRisk), torqueScore: round1(torqueRisk), bodyMassKg: bodyMass, loadKg: load,
                                  concerns: concerns),
            jointAnalysis: joints(), reps: .init(count: reps.count, mainJoint: analysis.profile.mainJoint.rawValue, items: reps),
            recommendations: recommendations(concerns), timeline: timeline(), provenance: provenance)
    }

    /// low, moderate, high, very_high: the bands green, yellow, orange, red.
    public static func level(_ risk: Double) -> String {
        switch RiskBand(risk: risk) {
        case .green: return "low"
        case .yellow: return "moderate"
        case .orange: return "high"
        case .red: return "very_high"
        }
    }

    private func exerciseType() -> Report.ExerciseType {
        let mean = Aggregator.meanProbabilities(analysis.windows, classes: analysis.classNames.count)
        let top = mean.indices.max { mean[$0] < mean[$1] } ?? 0
        let model = Report.ClassProbability(name: analysis.classNames[top], confidence: round3(mean[top]))
        let own = analysis.classNames.firstIndex(of: analysis.profile.name).map { round3(mean[$0]) }
        return .init(name: analysis.profile.name, source: forced ? "forced" : "model", confidence: own, model: model,
                     probabilities: Dictionary(uniqueKeysWithValues: zip(analysis.classNames, mean.map(round3))))
    }

    /// The main joint's angle per frame, as the reps were found on it (before any sign flip).
    private var mainAngle: [Double] { analysis.profile.mainSignal(analysis.angles) }

    /// The rep's extreme frame: the most flexed for a dip, the highest for a rise.
    private func bottom(of rep: Range<Int>) -> Int {
        let angle = mainAngle
        let finite = rep.filter { angle[$0].isFinite }
        guard !finite.isEmpty else { return rep.lowerBound }
        return analysis.profile.repIsRise ? finite.max { angle[$0] < angle[$1] }! : finite.min { angle[$0] < angle[$1] }!
    }

    /// Each rep's rule assessment (nil outside the model's exercises or with fewer than 3 poses).
    ///
    /// The rules read the smoothed poses (`PoseSmoothing`), except the descent's timing: a moving
    /// average rounds off the top and the bottom of the rep, so `fast_eccentric` reads the poses
    /// before smoothing.
    func assessments() -> [FormAssessment?] {
        guard let exercise = analysis.profile.modelClass else { return analysis.reps.map { _ in nil } }
        let smoothed = PoseSmoothing.smoothed(analysis.poses, radius: PoseSmoothing.radius(fps: analysis.fps))
        return analysis.reps.map { rep in
            let poses = rep.compactMap { smoothed[$0] }, raw = rep.compactMap { analysis.poses[$0] }
            guard poses.count >= 3 else { return nil }
            var assessment = FormScorer.score(rep: poses, exercise: exercise, fps: analysis.fps)
            let timing = FormScorer.score(rep: raw, exercise: exercise, fps: analysis.fps)
            assessment.deductions["fast_eccentric"] = timing.deductions["fast_eccentric"]
            assessment.features.eccentricSeconds = timing.features.eccentricSeconds
            assessment.score = max(0, 100 - assessment.deductions.values.reduce(0, +))
            return assessment
        }
    }

    func reps(_ assessments: [FormAssessment?]) -> [Report.Rep] {
        let angle = mainAngle
        let overall = (0..<analysis.times.count).map { t in analysis.jointRisk.values.map { $0[t] }.filter(\.isFinite).max() ?? 0 }
        return analysis.reps.enumerated().map { i, rep in
            let b = bottom(of: rep)
            var ruleScore: Double?, faults: [String] = []
            if let exercise = analysis.profile.modelClass, let assessment = assessments[i] {
                ruleScore = round1(assessment.score)
                faults = FormRules.rules(for: exercise).filter { rule in
                    (assessment.deductions[rule.id] ?? 0) >= ConcernTable.ruleFraction * rule.penalty
                }.map(\.id)
            }
            return Report.Rep(number: i + 1, start: round3(analysis.times[rep.lowerBound]), end: round3(analysis.times[rep.upperBound - 1]),
                              bottom: round3(analysis.times[b]), depth: round1(angle[b]), score: repScore(rep).map(round1), ruleScore: ruleScore,
                              faults: faults, peakRisk: round1(rep.map { overall[$0] }.max() ?? 0))
        }
    }

    /// The model's form over the windows that overlap the rep, weighted by the frames they share.
    private func repScore(_ rep: Range<Int>) -> Double? {
        var total = 0.0, weight = 0.0
        for w in analysis.windows {
            let shared = min(rep.upperBound, w.start + w.frames) - max(rep.lowerBound, w.start)
            if shared > 0 { total += w.form * Double(shared); weight += Double(shared) }
        }
        return weight > 0 ? total / weight : nil
    }

    func formConcerns(_ reps: [Report.Rep], _ assessments: [FormAssessment?]) -> [Report.Concern] {
        guard let exercise = analysis.profile.modelClass else { return [] }
        var out: [Report.Concern] = []
        for rule in FormRules.rules(for: exercise) {
            let hit = reps.filter { $0.faults.contains(rule.id) }
            guard !hit.isEmpty else { continue }
            let severities = hit.map { rep in (assessments[rep.number - 1]?.deductions[rule.id] ?? 0) / rule.penalty }
            let (what, when) = ConcernTable.phrase(rule: rule.id)
            let numbers = hit.map(\.number)
            let which = hit.count == 1 ? "rep \(numbers[0])" : "reps \(ConcernTable.list(numbers))"
            out.append(.init(id: rule.id, kind: "form", text: "\(what) \(when) \(which)", reps: numbers,
                             times: hit.map { [$0.start, $0.end] }, severity: round3(severities.max() ?? 0)))
        }
        return out.sorted { ($0.reps.count, $0.severity) > ($1.reps.count, $1.severity) }
    }

    func riskConcerns(_ reps: [Report.Rep]) -> [Report.Concern] {
        var out: [Report.Concern] = []
        for angle in BodyAngle.all {
            guard let joint = angle.riskJoint, let series = analysis.jointRisk[joint] else { continue }
            let peak = series.filter(\.isFinite).max() ?? 0
            guard peak >= ConcernTable.riskThreshold else { continue }
            let hot = series.indices.filter { series[$0] >= ConcernTable.riskThreshold }
            let inReps = reps.filter { rep in
                let range = analysis.reps[rep.number - 1]
                return hot.contains { range.contains($0) }
            }
            let name = angle.kind == .trunk ? "lower back" : angle.name.replacingOccurrences(of: "_", with: " ")
            let band = ReportBuilder.level(peak).replacingOccurrences(of: "_", with: " ")
            let when = inReps.isEmpty ? "at \(seconds(hot.first!))-\(seconds(hot.last!)) s"
                : inReps.count == 1 ? "in rep \(inReps[0].number)" : "in reps \(ConcernTable.list(inReps.map(\.number)))"
            out.append(.init(id: "risk_\(angle.name)", kind: "risk", text: "\(band) \(name) load (peak \(Int(peak.rounded())) of 100) \(when)",
                             reps: inReps.map(\.number), times: intervals(hot), severity: round1(peak)))
        }
        let modelHot = analysis.windows.filter { $0.risk >= ConcernTable.riskThreshold }
        if let worst = modelHot.map(\.risk).max() {
            let band = ReportBuilder.level(worst).replacingOccurrences(of: "_", with: " ")
            out.append(.init(id: "risk_model", kind: "risk",
                             text: "the model rates the injury risk \(band) (\(Int(worst.rounded())) of 100) at \(seconds(modelHot.first!.startSeconds))-\(seconds(modelHot.last!.endSeconds)) s",
                             reps: [], times: Self.merged(modelHot.map { [round3($0.startSeconds), round3($0.endSeconds)] }), severity: round1(worst)))
        }
        return out.sorted { $0.severity > $1.severity }
    }

    func recommendations(_ concerns: [Report.Concern]) -> [Report.Recommendation] {
        var out: [Report.Recommendation] = []
        for concern in concerns {
            let key = concern.kind == "risk" && concern.id != "risk_model"
                ? "risk_" + (BodyAngle.all.first { "risk_\($0.name)" == concern.id }?.kind.rawValue ?? "") : concern.id
            guard let (id, cue) = ConcernTable.cue(for: key) else { continue }
            if let i = out.firstIndex(where: { $0.id == id }) { out[i].because.append(concern.id) } else {
                out.append(.init(id: id, cue: cue, because: [concern.id]))
            }
        }
        return out
    }

    func joints() -> [Report.JointSummary] {
        let deepest = self.deepestFrame()
        return BodyAngle.all.map { angle in
            let series = analysis.angles.series(angle).filter(\.isFinite)
            let risk = angle.riskJoint.flatMap { analysis.jointRisk[$0] }
            let peak = risk.flatMap { r in r.indices.filter { r[$0].isFinite }.max { r[$0] < r[$1] } }
            let atDeepest = deepest.map { analysis.angles.series(angle)[$0] }.flatMap { $0.isFinite ? $0 : nil }
            return Report.JointSummary(joint: angle.name, angleAtDeepest: atDeepest.map(round1),
                                       rangeOfMotion: series.isEmpty ? nil : round1(series.max()! - series.min()!),
                                       minAngle: series.min().map(round1), maxAngle: series.max().map(round1),
                                       peakRisk: angle.riskJoint == nil ? nil : peak.map { round1(risk![$0]) } ?? 0,
                                       peakRiskTime: peak.map { round3(analysis.times[$0]) })
        }
    }

    /// The deepest point of the set: the most extreme rep bottom, else the main angle's extreme.
    func deepestFrame() -> Int? {
        let angle = mainAngle
        let candidates = analysis.reps.isEmpty ? Array(angle.indices.filter { angle[$0].isFinite }) : analysis.reps.map(bottom(of:))
        guard !candidates.isEmpty else { return nil }
        return analysis.profile.repIsRise ? candidates.max { angle[$0] < angle[$1] } : candidates.min { angle[$0] < angle[$1] }
    }

    func timeline() -> [Report.TimelineEntry] {
        analysis.windows.enumerated().map { i, w in
            let top = w.probabilities.indices.max { w.probabilities[$0] < w.probabilities[$1] } ?? 0
            return .init(window: i, start: round3(w.startSeconds), end: round3(w.endSeconds), form: round1(w.form), risk: round1(w.risk),
                         exercise: analysis.classNames[top], confidence: round3(w.probabilities[top]), angles: w.angles.map(round1))
        }
    }

    /// Overlapping [start, end] intervals (sorted by start) joined into one.
    static func merged(_ intervals: [[Double]]) -> [[Double]] {
        var out: [[Double]] = []
        for interval in intervals {
            if let last = out.last, interval[0] <= last[1] { out[out.count - 1][1] = max(last[1], interval[1]) } else { out.append(interval) }
        }
        return out
    }

    private func intervals(_ frames: [Int]) -> [[Double]] {
        var out: [[Double]] = []
        var first: Int?, last = -2
        for f in frames {
            if f != last + 1, let s = first { out.append([round3(analysis.times[s]), round3(analysis.times[last])]); first = nil }
            if first == nil { first = f }
            last = f
        }
        if let s = first { out.append([round3(analysis.times[s]), round3(analysis.times[last])]) }
        return out
    }

    private func seconds(_ frame: Int) -> String { seconds(analysis.times[frame]) }
    private func seconds(_ time: Double) -> String { String(format: "%.1f", time) }
}

func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
