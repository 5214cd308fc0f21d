/// The measurements of one repetition that the form rules judge (world landmarks, one rep).
public struct FormFeatures: Codable, Sendable, Equatable {
    /// Smallest mean knee angle (squat) or front-knee angle (lunge), degrees.
    public var kneeDepth = Double.nan
    /// Smallest mean elbow angle (bench press), degrees.
    public var elbowDepth = Double.nan
    /// Knee separation over ankle separation at the bottom (squat); below 1 the knees cave in.
    public var kneeWidthRatio = Double.nan
    /// Sideways offset of the front knee from its ankle at the bottom (lunge), cm.
    public var frontKneeDrift = Double.nan
    /// Trunk angle from vertical at the bottom (max over the rep for the overhead press), degrees.
    public var trunkLean = Double.nan
    /// Mean left-right difference of the exercise's main joint angle, degrees.
    public var asymmetry = Double.nan
    /// Highest rise of either heel over its toes, against the first frame, cm.
    public var heelLift = Double.nan
    /// Seconds from the top to the bottom of the rep.
    public var eccentricSeconds = Double.nan
    /// Upper-arm angle out of the sagittal plane at the bottom, degrees.
    public var elbowFlare = Double.nan
    /// Largest elbow angle (presses) or hip angle (deadlift) in the rep, degrees.
    public var lockout = Double.nan
    /// Horizontal travel of the hands (the bar) during the rep, cm.
    public var barDrift = Double.nan
    /// How far the shoulders are ahead of the hands at the bottom of a deadlift, cm.
    public var shouldersAheadOfBar = Double.nan

    /// Measures one rep of `exercise` in `poses` (world landmarks) at `fps`.
    public static func measure(_ poses: [[Vec3]], exercise: Exercise, fps: Double) -> FormFeatures {
        var f = FormFeatures()
        let g = medianFiltered(poses, radius: 2).map(PoseGeometry.init)
        guard let first = g.first else { return f }
        let knee = g.map { ($0.angle(.leftKnee) + $0.angle(.rightKnee)) / 2 }
        let hip = g.map { ($0.angle(.leftHip) + $0.angle(.rightHip)) / 2 }
        let elbow = g.map { ($0.angle(.leftElbow) + $0.angle(.rightElbow)) / 2 }
        // The bottom of the rep: where the exercise's main joint is most flexed.
        let main: [Double]
        switch exercise {
        case .squat, .lunge: main = knee
        case .deadlift: main = hip
        case .benchPress, .overheadPress: main = elbow
        }
        let bottom = main.indices.min { main[$0] < main[$1] } ?? 0
        let top = main[0...bottom].indices.max { main[$0] < main[$1] } ?? 0
        let b = g[bottom]
        f.eccentricSeconds = Double(bottom - top) / fps
        let cm = 100.0
        switch exercise {
        case .squat:
            f.kneeDepth = knee[bottom]
            f.kneeWidthRatio = b.kneeToAnkleWidth
            f.trunkLean = b.trunkLean
            f.asymmetry = mean(g.map { abs($0.angle(.leftKnee) - $0.angle(.rightKnee)) })
            // Heel height over the toes (y points down), against the first frame: hips moving the origin do not count.
            func rise(_ p: PoseGeometry, _ heel: Landmark, _ toe: Landmark) -> Double { p[toe].y - p[heel].y }
            f.heelLift = g.map { pose in
                max(rise(pose, .leftHeel, .leftFootIndex) - rise(first, .leftHeel, .leftFootIndex),
                    rise(pose, .rightHeel, .rightFootIndex) - rise(first, .rightHeel, .rightFootIndex))
            }.max()! * cm
        case .lunge:
            let forward = first.forward
            let leftFront = dot(first[.leftAnkle] - first[.rightAnkle], forward) > 0
            let (k, a): (Landmark, Landmark) = leftFront ? (.leftKnee, .leftAnkle) : (.rightKnee, .rightAnkle)
            f.kneeDepth = g.map { $0.angle(leftFront ? .leftKnee : .rightKnee) }.min()!
            f.frontKneeDrift = abs(dot(b[k] - b[a], b.lateral)) * cm
            f.trunkLean = b.trunkLean
        case .deadlift:
            f.trunkLean = b.trunkLean
            f.shouldersAheadOfBar = dot(b.shoulderMid - b.wristMid, b.forward) * cm
            f.barDrift = range(g.map { dot($0.wristMid - $0.ankleMid, first.forward) }) * cm
            f.lockout = hip.max()!
            f.asymmetry = mean(g.map { abs($0.angle(.leftHip) - $0.angle(.rightHip)) })
        case .benchPress, .overheadPress:
            f.elbowDepth = elbow[bottom]
            f.elbowFlare = (b.elbowFlare(left: true) + b.elbowFlare(left: false)) / 2
            f.lockout = elbow.max()!
            f.asymmetry = mean(g.map { abs($0.angle(.leftElbow) - $0.angle(.rightElbow)) })
            if exercise == .benchPress {
                let axis = unit(first.shoulderMid - first.hipMid)
                f.barDrift = range(g.map { dot($0.wristMid - $0.shoulderMid, axis) }) * cm
            } else {
                f.trunkLean = g.map(\.trunkLean).max()!
                f.barDrift = range(g.map { dot(horizontal($0.wristMid - $0.shoulderMid), first.forward) }) * cm
            }
        }
        return f
    }
}

extension PoseGeometry {
    func angle(_ joint: JointAngle) -> Double { joint.degrees(in: p) }
}

func mean(_ values: [Double]) -> Double {
    let finite = values.filter(\.isFinite)
    return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
}

func range(_ values: [Double]) -> Double {
    let finite = values.filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max() else { return .nan }
    return hi - lo
}

/// Each landmark coordinate replaced by its median over the frames within `radius`: one-frame
/// detector errors (dropouts, jitter spikes) do not reach the form rules; NaNs are skipped.
func medianFiltered(_ poses: [[Vec3]], radius: Int) -> [[Vec3]] {
    guard poses.count > 1 else { return poses }
    var out = poses
    var buffer = [Double]()
    buffer.reserveCapacity(2 * radius + 1)
    for t in poses.indices {
        let lo = max(0, t - radius), hi = min(poses.count - 1, t + radius)
        for i in poses[t].indices {
            var p = Vec3(0, 0, 0)
            for axis in 0..<3 {
                buffer.removeAll(keepingCapacity: true)
                for u in lo...hi where poses[u][i][axis].isFinite { buffer.append(poses[u][i][axis]) }
                buffer.sort()
                p[axis] = buffer.isEmpty ? .nan : buffer[buffer.count / 2]
            }
            out[t][i] = p
        }
    }
    return out
}
