import Biomechanics
import Windowing

/// Turns a sequence and its windows' predictions into a `SetAnalysis`: class, per-frame angles and
/// torque risk, and reps counted on the main joint's angle cycle.
public enum Aggregator {
    /// The class probabilities averaged over windows, in `classNames` order.
    public static func meanProbabilities(_ windows: [WindowResult], classes: Int) -> [Double] {
        guard !windows.isEmpty else { return [Double](repeating: 0, count: classes) }
        var mean = [Double](repeating: 0, count: classes)
        for w in windows { for j in 0..<classes { mean[j] += w.probabilities[j] / Double(windows.count) } }
        return mean
    }

    /// A rep's swing must be at least this share of the set's largest (docs/REPORT.md, "Reps").
    public static let minimumSwingShare = 0.7

    /// The reps whose swing (the main angle's extreme against the mean of its two ends) is at least
    /// `minimumSwingShare` of the largest: a set's reps are alike, so a much smaller cycle is
    /// something else (stepping off, turning, another person crossing the frame).
    static func consistentReps(_ reps: [Range<Int>], signal: [Double]) -> [Range<Int>] {
        let swings = reps.map { rep -> Double in
            let ends = [signal[rep.lowerBound], signal[rep.upperBound - 1]].filter(\.isFinite)
            let bottom = rep.map { signal[$0] }.filter(\.isFinite).min() ?? .nan
            return ends.isEmpty || bottom.isNaN ? 0 : ends.reduce(0, +) / Double(ends.count) - bottom
        }
        guard let largest = swings.max(), largest > 0 else { return reps }
        return zip(reps, swings).filter { $0.1 >= minimumSwingShare * largest }.map(\.0)
    }

    /// `forced` is the exercise `--exercise` named; nil lets the model's top class decide.
    public static func analyse(_ sequence: LoadedSequence, windows: [WindowResult], classNames: [String], forced: ExerciseProfile?,
                               bodyMass: Double, load: Double?, maxGap: Int) -> SetAnalysis {
        let t = sequence.frames
        let filled = Windower.fillGaps(sequence.world, frames: t, maxGap: maxGap).points
        let poses: [[Vec3]?] = (0..<t).map { f in
            let pose = (0..<33).map { l in
                let b = (f * 33 + l) * 3
                return Vec3(Double(filled[b]), Double(filled[b + 1]), Double(filled[b + 2]))
            }
            return pose.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite } ? pose : nil
        }
        let mean = meanProbabilities(windows, classes: classNames.count)
        let top = mean.indices.max { mean[$0] < mean[$1] } ?? 0
        let profile = forced ?? Exercise(rawValue: classNames[top]).map(ExerciseProfile.of) ?? ExerciseProfile.of(.squat)
        let angles = BodyAngleSeries(poses: poses)

        // Exercises outside the model's classes: body weight, plus any load, at the shoulders.
        let riskModel = RiskModel(exercise: profile.modelClass ?? .squat, bodyMass: bodyMass, load: profile.modelClass == nil ? (load ?? 0) : load)
        let perFrame = poses.map { $0.map { riskModel.risk($0).joints } }
        var jointRisk: [RiskModel.Joint: [Double]] = [:]
        for (j, joint) in RiskModel.Joint.allCases.enumerated() {
            jointRisk[joint] = MedianFilter.apply(perFrame.map { $0?[j] ?? .nan })
        }

        var signal = profile.mainSignal(angles)
        if profile.repIsRise { signal = signal.map { -$0 } }
        let found = signal.contains(where: \.isFinite) ? RepSegmenter.reps(signal, fps: sequence.fps) : []
        let reps = consistentReps(found, signal: signal)
        return SetAnalysis(profile: profile, times: sequence.times, fps: sequence.fps, image: sequence.image, poses: poses, angles: angles,
                           jointRisk: jointRisk, reps: reps, windows: windows, classNames: classNames)
    }
}
