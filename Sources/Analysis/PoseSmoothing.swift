import Biomechanics

/// A moving average of each landmark over a few frames, for the form rules on detected poses.
///
/// The rules were calibrated on clean synthetic motion (docs/LABELS.md); on detected landmarks
/// (MediaPipe's jitter, or the generator's 1 cm detector noise) features that take a maximum over
/// the rep, such as heel lift, read the noise's peaks instead. Averaging over `radius` frames each
/// side (0.2 s) before the rules cuts the jitter by more than three while keeping a rep's motion.
public enum PoseSmoothing {
    public static func radius(fps: Double) -> Int { max(1, Int((0.2 * fps).rounded())) }

    /// `poses` averaged over `radius` frames each side; frames without a pose stay nil and are left out.
    public static func smoothed(_ poses: [[Vec3]?], radius: Int) -> [[Vec3]?] {
        poses.indices.map { t in
            guard poses[t] != nil else { return nil }
            var sum = [Vec3](repeating: .zero, count: 33)
            var n = 0.0
            for u in max(0, t - radius)...min(poses.count - 1, t + radius) {
                guard let pose = poses[u] else { continue }
                for l in 0..<33 { sum[l] += pose[l] }
                n += 1
            }
            return sum.map { $0 / n }
        }
    }
}
