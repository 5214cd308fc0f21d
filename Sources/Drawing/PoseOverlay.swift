/// Draws a pose onto video frames: the skeleton with each joint in its risk colour and a heat glow, and a
/// small text panel (e.g. "score 82", "reps 3") in the top corner away from the person (top left
/// until the skeleton's centre is in the left 40% of the frame, then top right until it passes 60%).
///
/// Frames are packed RGB24: `width * height * 3` bytes, top row first, R G B per pixel. An overlay keeps one
/// cairo surface and reuses it while the frame size stays the same, so keep one per video; only the part of
/// the frame the drawing touches is copied to the surface and back. Not for use from two threads at once.
///
/// Sizes follow the frame, so a 640 px and a 1920 px frame look alike. With `s` the frame's shorter side:
/// bones `max(1.5, 0.006 s)` wide, joints of radius `max(2, 0.009 s)`, both edged in translucent black; a
/// joint with a risk score glows with a radial gradient of radius `s × (0.02 + 0.08 × risk / 100)` (risk
/// clamped to 0-100), its band colour at opacity `0.35 + 0.4 × risk / 100` in the middle, transparent at
/// the edge; panel text `max(9, 0.03 h)` pixels high on a frame `h` pixels high (see `OverlayStyle`).
public final class PoseOverlay {
    /// What to draw on one frame.
    public struct Skeleton: Sendable {
        /// Per landmark (e.g. MediaPipe's 33), its position in the frame's pixels, x to the right and y down;
        /// nil when not detected. Non-finite points count as nil; points off the frame are drawn, clipped.
        public var points: [Point2?]
        /// Per landmark, a risk score 0-100 giving its colour (`RiskColors`) and glow; nil (or a missing
        /// entry) draws the joint in `RiskColors.neutral` without a glow.
        public var risks: [Double?]
        /// Bones as pairs of landmark indices (e.g. `SkeletonGraph.edges`); a bone with a missing point or an
        /// index out of range is skipped.
        public var edges: [(Int, Int)]

        public init(points: [Point2?], risks: [Double?], edges: [(Int, Int)]) {
            self.points = points
            self.risks = risks
            self.edges = edges
        }
    }

    private var canvas: CairoCanvas?

    public init() {}

    /// Draws `skeleton` and `panel` (one line of text each, top to bottom; empty for no panel) onto `frame`
    /// in place.
    ///
    /// Throws a `DrawingError` whose path is "overlay frame WxH" when `frame` does not hold exactly
    /// `width * height * 3` bytes, a side is below 1, or cairo fails; then `frame` is left unchanged.
    public func draw(on frame: inout [UInt8], width: Int, height: Int, skeleton: Skeleton, panel: [String] = []) throws {
        do {
            try render(on: &frame, width: width, height: height, skeleton: skeleton, panel: panel)
        } catch let failure as CairoFailure {
            throw DrawingError(path: "overlay frame \(width)x\(height)", reason: "\(failure.operation): \(failure.reason)")
        } catch let problem as ChartDataError {
            throw DrawingError(path: "overlay frame \(width)x\(height)", reason: problem.message)
        }
    }

    /// A copy of `frame` with `skeleton` and `panel` drawn on it, as `draw(on:…)` does in place.
    public func drawing(_ frame: [UInt8], width: Int, height: Int, skeleton: Skeleton, panel: [String] = []) throws -> [UInt8] {
        var copy = frame
        try draw(on: &copy, width: width, height: height, skeleton: skeleton, panel: panel)
        return copy
    }

    /// Whether the panel sits top right: the corner away from the person, changing sides only when
    /// the skeleton's centre is a tenth of the frame past the middle, so it does not flicker.
    private var panelRight = false
    private func panelOnRight(_ skeleton: Skeleton, width: Int) -> Bool {
        let xs = skeleton.points.compactMap { $0?.x }.filter(\.isFinite)
        guard !xs.isEmpty else { return panelRight }
        let centre = xs.reduce(0, +) / Double(xs.count) / Double(max(1, width))
        if centre < 0.4 { panelRight = true } else if centre > 0.6 { panelRight = false }
        return panelRight
    }

    /// `draw(on:…)` with the internal errors (`CairoFailure`, `ChartDataError`), so a figure can name its own file.
    func render(on frame: inout [UInt8], width: Int, height: Int, skeleton: Skeleton, panel: [String]) throws {
        try RGBFrame.validate(count: frame.count, width: width, height: height)
        let canvas = try surface(width: width, height: height)
        let style = OverlayStyle(width: width, height: height)
        let painter = OverlayPainter(skeleton: skeleton, style: style)
        let box = OverlayPanel(lines: panel, style: style, frameWidth: width, right: panelOnRight(skeleton, width: width), on: canvas)
        let region = painter.region(panel: box?.rect, width: width, height: height)
        guard !region.isEmpty else { return }
        try RGBFrame.load(frame, width: width, region: region, into: canvas)
        canvas.clipped(x: Double(region.x0), y: Double(region.y0), width: Double(region.x1 - region.x0), height: Double(region.y1 - region.y0)) {
            painter.draw(on: canvas)
            box?.draw(on: canvas)
        }
        do {
            try canvas.check()
        } catch {
            self.canvas = nil  // cairo keeps a context's first error for good: start afresh next frame
            throw error
        }
        try RGBFrame.store(canvas, region: region, into: &frame, width: width)
    }

    /// The kept surface when it has this size, otherwise a new one (which is kept instead).
    private func surface(width: Int, height: Int) throws -> CairoCanvas {
        if let canvas, canvas.width == width, canvas.height == height { return canvas }
        canvas = nil
        let fresh = try CairoCanvas(width: width, height: height)
        canvas = fresh
        return fresh
    }
}
