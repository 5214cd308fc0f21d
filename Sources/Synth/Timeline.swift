/// When each repetition happens in a sequence, and the rep phase at any time.
///
/// A rep goes top -> bottom (eccentric, eased with a half cosine) -> short pause -> top
/// (concentric) -> pause. The fast-eccentric fault shortens the way down.
struct Timeline {
    struct Rep {
        var start: Double, bottom: Double, rise: Double, end: Double
    }

    var reps: [Rep] = []

    init(duration: Double, fastEccentric: Double, rng: inout SeededRandom) {
        // At most 2.45 s per rep with its rest, so five seconds always hold two reps or more.
        var t = rng.uniform(0.05...0.2)
        while true {
            let down = rng.uniform(0.85...1.2) * (1 - 0.6 * fastEccentric)
            let hold = rng.uniform(0.05...0.15)
            let upTime = rng.uniform(0.6...0.85)
            let rest = rng.uniform(0.1...0.25)
            var rep = Rep(start: t, bottom: t + down, rise: t + down + hold, end: t + down + hold + upTime)
            if rep.end > duration {
                // Always at least one rep: squeeze the first one into short sequences.
                if reps.isEmpty {
                    let scale = (duration - t) / (rep.end - t)
                    rep = Rep(start: t, bottom: t + down * scale, rise: t + (down + hold) * scale, end: duration)
                    reps.append(rep)
                }
                break
            }
            reps.append(rep)
            t = rep.end + rest
        }
    }

    /// Phase at time `t`: 0 at the top, 1 at the bottom.
    func phase(_ t: Double) -> Double {
        for rep in reps where t >= rep.start && t <= rep.end {
            if t <= rep.bottom { return ease((t - rep.start) / max(1e-9, rep.bottom - rep.start)) }
            if t <= rep.rise { return 1 }
            return 1 - ease((t - rep.rise) / max(1e-9, rep.end - rep.rise))
        }
        return 0
    }

    /// Frame ranges of the reps at `fps` over `frames` frames.
    func frameRanges(fps: Double, frames: Int) -> [Range<Int>] {
        reps.map { rep in
            let a = max(0, Int((rep.start * fps).rounded(.down))), b = min(frames, Int((rep.end * fps).rounded(.up)) + 1)
            return a..<max(a + 1, b)
        }
    }

    private func ease(_ x: Double) -> Double { (1 - cos(.pi * min(1, max(0, x)))) / 2 }
}

#if canImport(Glibc)
import BiomechCore
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
