/// Finds repetitions in a joint-angle signal: each rep is a dip of the main joint angle.
public enum RepSegmenter {
    /// Frame ranges of the reps in `angles` (degrees per frame, NaN allowed).
    ///
    /// A rep is a local minimum at least `minDepth` degrees below the highest point on both of
    /// its sides; its range runs from the top before it to the top after it. Minima closer than
    /// `minSeconds` are merged.
    public static func reps(_ angles: [Double], fps: Double, minDepth: Double = 20, minSeconds: Double = 0.6) -> [Range<Int>] {
        let signal = smoothed(filled(angles), radius: max(1, Int(fps / 15)))
        guard signal.count > 2 else { return [] }
        var reps: [Range<Int>] = []
        var start = 0
        var i = 1
        while i < signal.count - 1 {
            // Walk down to a minimum, then up to the next top.
            guard signal[i] < signal[i - 1] else { i += 1; continue }
            var bottom = i
            while bottom + 1 < signal.count && signal[bottom + 1] <= signal[bottom] { bottom += 1 }
            var end = bottom
            while end + 1 < signal.count && signal[end + 1] >= signal[end] { end += 1 }
            let before = signal[start...bottom].max()!, after = signal[bottom...end].max()!
            if min(before, after) - signal[bottom] >= minDepth && Double(end - start) >= minSeconds * fps {
                reps.append(start..<(end + 1))
                start = end
            }
            i = end + 1
        }
        return reps
    }

    /// Replaces NaN by the nearest earlier finite value (or the first finite one).
    static func filled(_ values: [Double]) -> [Double] {
        var last = values.first(where: \.isFinite) ?? 0
        return values.map { v in
            if v.isFinite { last = v }
            return last
        }
    }

    static func smoothed(_ values: [Double], radius: Int) -> [Double] {
        values.indices.map { i in
            let window = values[max(0, i - radius)...min(values.count - 1, i + radius)]
            return window.reduce(0, +) / Double(window.count)
        }
    }
}
