import BiomechCore
import Biomechanics

/// What a pose detector does to perfect landmarks: jitter, occlusion, dropouts, missed frames.
///
/// Rates (docs/LABELS.md repeats them): world jitter 1 cm and image jitter 0.3% of the frame
/// (standard deviations, doubled for occluded landmarks); landmarks on the far side of the body
/// from the camera get visibility 0.4-0.8, others 0.9-1.0; 1% of landmarks per frame drop out
/// (visibility below 0.2, error of 5 cm / 3% of the frame); 2% of frames have no detection at
/// all (NaN rows in both files).
public struct DetectorNoise: Sendable {
    public var worldJitter = 0.01
    public var imageJitter = 0.003
    public var dropoutRate = 0.01
    public var missedFrameRate = 0.02
    public init() {}

    /// One detected frame: image (x, y, z, visibility) and world (x, y, z), or nil for a missed frame.
    func detect(image: [Vec3], world: [Vec3], bodyFrame: [Vec3], towardCamera: Vec3,
                rng: inout SeededRandom) -> (image: [SIMD4<Double>], world: [Vec3])? {
        if rng.chance(missedFrameRate) { return nil }
        let centre = bodyFrame.reduce(Vec3.zero, +) / Double(bodyFrame.count)
        var imageOut: [SIMD4<Double>] = [], worldOut: [Vec3] = []
        for i in image.indices {
            let occluded = dot(bodyFrame[i] - centre, towardCamera) < -0.05
            var visibility = occluded ? rng.uniform(0.4...0.8) : rng.uniform(0.9...1.0)
            var (wj, ij) = (worldJitter * (occluded ? 2 : 1), imageJitter * (occluded ? 2 : 1))
            if rng.chance(dropoutRate) {
                visibility = rng.uniform(0...0.2)
                (wj, ij) = (0.05, 0.03)
            }
            let w = world[i] + Vec3(rng.gaussian(wj), rng.gaussian(wj), rng.gaussian(wj))
            let p = image[i] + Vec3(rng.gaussian(ij), rng.gaussian(ij), rng.gaussian(ij))
            imageOut.append(SIMD4(p.x, p.y, p.z, visibility))
            worldOut.append(w)
        }
        return (imageOut, worldOut)
    }
}
