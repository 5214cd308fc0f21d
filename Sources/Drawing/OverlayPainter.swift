/// Draws one frame's skeleton in the style of `OverlayStyle`: glows first, then bones, then joints on top.
struct OverlayPainter {
    let style: OverlayStyle
    /// Finite points only, so nothing non-finite reaches cairo.
    let points: [Point2?]
    let risks: [Double?]
    let edges: [(Int, Int)]

    init(skeleton: PoseOverlay.Skeleton, style: OverlayStyle) {
        self.style = style
        points = skeleton.points.map { $0.flatMap { $0.isFinite ? $0 : nil } }
        risks = skeleton.risks.map { $0.flatMap { $0.isNaN ? nil : $0 } }
        edges = skeleton.edges
    }

    /// The risk of landmark `index`, nil when it has none.
    func risk(_ index: Int) -> Double? { risks.indices.contains(index) ? risks[index] : nil }

    /// Landmarks with a point, lowest risk first (no risk before any), so the riskiest are drawn on top.
    private var drawOrder: [Int] {
        points.indices.filter { points[$0] != nil }.sorted { (risk($0) ?? -1, $0) < (risk($1) ?? -1, $1) }
    }

    /// The pixels this painter and a panel at `panel` can touch, within the frame (empty when there is nothing to draw).
    func region(panel: ChartRect?, width: Int, height: Int) -> PixelRegion {
        var low = (x: Double.infinity, y: Double.infinity), high = (x: -Double.infinity, y: -Double.infinity)
        func include(_ x: Double, _ y: Double, pad: Double) {
            low = (min(low.x, x - pad), min(low.y, y - pad))
            high = (max(high.x, x + pad), max(high.y, y + pad))
        }
        let reach = max(style.jointRadius, style.boneWidth / 2) + style.edgeWidth
        for (index, point) in points.enumerated() {
            guard let point else { continue }
            include(point.x, point.y, pad: max(reach, risk(index).map(style.glowRadius) ?? 0) + 2)  // 2: antialiasing
        }
        if let panel { include(panel.x, panel.y, pad: 1); include(panel.maxX, panel.maxY, pad: 1) }
        guard low.x <= high.x else { return PixelRegion(x0: 0, y0: 0, x1: 0, y1: 0) }
        func pixel(_ value: Double, _ limit: Int) -> Int { Int(min(Double(limit), max(0, value))) }
        return PixelRegion(x0: pixel(low.x.rounded(.down), width), y0: pixel(low.y.rounded(.down), height),
                           x1: pixel(high.x.rounded(.up), width), y1: pixel(high.y.rounded(.up), height))
    }

    func draw(on canvas: CairoCanvas) {
        let order = drawOrder
        for index in order {
            guard let point = points[index], let risk = risk(index) else { continue }
            canvas.glow(at: point, radius: style.glowRadius(risk: risk), color: RiskColors.color(forRisk: risk),
                        alpha: style.glowAlpha(risk: risk))
        }
        let bones = edges.compactMap { a, b -> (Point2, Point2, Int, Int)? in
            guard points.indices.contains(a), points.indices.contains(b), let start = points[a], let end = points[b] else { return nil }
            return (start, end, a, b)
        }
        canvas.setColor(OverlayStyle.edgeColor, alpha: OverlayStyle.edgeAlpha)
        for (start, end, _, _) in bones {
            canvas.line(from: start, to: end, width: style.boneWidth + 2 * style.edgeWidth)
        }
        for (start, end, a, b) in bones {
            canvas.line(from: start, to: end, width: style.boneWidth,
                        colors: RiskColors.color(forRisk: risk(a)), RiskColors.color(forRisk: risk(b)))
        }
        for index in order {
            guard let point = points[index] else { continue }
            canvas.setColor(OverlayStyle.edgeColor, alpha: OverlayStyle.edgeAlpha)
            canvas.dot(at: point, radius: style.jointRadius + style.edgeWidth)
            canvas.setColor(RiskColors.color(forRisk: risk(index)))
            canvas.dot(at: point, radius: style.jointRadius)
        }
    }
}

/// The text panel in a top corner of the frame: a translucent dark box with white lines.
struct OverlayPanel {
    let lines: [String]
    let rect: ChartRect
    let style: OverlayStyle

    /// Nil when there are no lines. Lines too wide for the frame are shortened with an ellipsis.
    /// `right` puts it in the top right corner instead of the top left.
    init?(lines: [String], style: OverlayStyle, frameWidth: Int, right: Bool = false, on canvas: CairoCanvas) {
        guard !lines.isEmpty else { return nil }
        let margin = style.panelMargin, size = style.textSize
        let room = max(size, Double(frameWidth) - 4 * margin)
        self.lines = lines.map { ChartParts.fit($0, width: room, size: size, on: canvas) }
        let widest = self.lines.map { canvas.textWidth($0, size: size) }.max() ?? 0
        let width = widest + 2 * margin
        rect = ChartRect(x: right ? max(margin, Double(frameWidth) - margin - width) : margin, y: margin, width: width,
                         height: Double(lines.count) * style.lineHeight + 2 * margin - (style.lineHeight - size))
        self.style = style
    }

    func draw(on canvas: CairoCanvas) {
        canvas.setColor(OverlayStyle.panelColor, alpha: OverlayStyle.panelAlpha)
        canvas.fillRoundedRectangle(x: rect.x, y: rect.y, width: rect.width, height: rect.height, radius: style.textSize * 0.35)
        canvas.setColor(OverlayStyle.panelTextColor)
        for (index, line) in lines.enumerated() {
            // The baseline sits about a fifth of the type size above the bottom of its line.
            let baseline = rect.y + style.panelMargin + Double(index) * style.lineHeight + style.textSize * 0.8
            canvas.text(line, at: Point2(x: rect.x + style.panelMargin, y: baseline), size: style.textSize)
        }
    }
}
