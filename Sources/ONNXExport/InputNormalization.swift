// The windows' normalization (docs/WINDOW.md, step 3) as graph nodes, for `--normalize-in-graph`.
// Shape key: B batch, T time (fixed: the median needs it), V landmarks (33).
//   hip = mean of landmarks 23, 24 [B, T, 1, 3]; shoulder = mean of 11, 12
//   torso = |shoulder - hip| [B, T]; median over T (TopK sorts, then the middle one or two)
//   x' = (x - hip) / median [B, T, V, 3]
// Windower.normalize is the reference; a window whose median torso is 0 gives inf or NaN here
// (biomech-window drops it as `no_torso`).

extension GraphBuilder {
    /// `x` [B, T, V, 3] in the windows' coordinates before normalization -> the model's input.
    mutating func normalizedWindow(_ x: String, time: Int) -> String {
        scope = "normalize"
        func midpoint(_ a: Int, _ b: Int) -> String {
            let pair = op("Gather", x, int64s([a, b]), attributes: [Attribute.int("axis", 2)])   // [B, T, 2, 3]
            return reduce("ReduceMean", pair, axes: [2], keepDims: true)                          // [B, T, 1, 3]
        }
        let hip = midpoint(23, 24), shoulder = midpoint(11, 12)
        let centred = op("Sub", x, hip)
        let squared = reduce("ReduceSumSquare", op("Sub", shoulder, hip), axes: [2, 3], keepDims: false)
        let torso = op("Sqrt", squared)                                                               // [B, T]
        let sorted = node("TopK", [torso, int64s([time])], outputs: 2, attributes: [Attribute.int("axis", 1)])[0]
        let middle = time % 2 == 1 ? [time / 2] : [time / 2 - 1, time / 2]
        let pair = op("Gather", sorted, int64s(middle), attributes: [Attribute.int("axis", 1)])     // [B, 1 or 2]
        let median = reshape(reduce("ReduceMean", pair, axes: [1], keepDims: true), [-1, 1, 1, 1])
        return op("Div", centred, median)
    }
}
