/// Where a summary figure's parts go: the title band on top, then a 2 × 2 grid on whole pixels.
///
/// The left column (56% of the width) holds the two charts over time, angles above risk, so their time axes
/// line up; the right column holds the key frame above the per-rep scores.
struct SummaryLayout: Equatable {
    static let titleBand = 52.0
    static let titleSize = 22.0
    static let titleBaseline = 34.0
    static let leftShare = 0.56

    let width, height: Double
    let angles, risks, keyFrame, scores: ChartRect

    /// Sizes below 1 count as 1.
    init(width: Int, height: Int) {
        self.width = Double(max(1, width))
        self.height = Double(max(1, height))
        let top = min(self.height, Self.titleBand)
        let left = (self.width * Self.leftShare).rounded()
        let middle = (top + (self.height - top) / 2).rounded()
        angles = ChartRect(x: 0, y: top, width: left, height: middle - top)
        risks = ChartRect(x: 0, y: middle, width: left, height: self.height - middle)
        keyFrame = ChartRect(x: left, y: top, width: self.width - left, height: middle - top)
        scores = ChartRect(x: left, y: middle, width: self.width - left, height: self.height - middle)
    }

    /// The largest rectangle of the image's shape that fits the key frame cell below its title, centred there.
    func keyFrameImage(width imageWidth: Int, height imageHeight: Int) -> ChartRect {
        let area = ChartRect(x: keyFrame.x + ChartStyle.margin, y: keyFrame.y + ChartStyle.titleBaseline + 12,
                             width: keyFrame.width - 2 * ChartStyle.margin,
                             height: keyFrame.height - ChartStyle.titleBaseline - 12 - ChartStyle.margin)
        guard imageWidth > 0, imageHeight > 0, area.width > 0, area.height > 0 else {
            return ChartRect(x: area.x, y: area.y, width: 0, height: 0)
        }
        let scale = min(area.width / Double(imageWidth), area.height / Double(imageHeight))
        let w = (Double(imageWidth) * scale).rounded(), h = (Double(imageHeight) * scale).rounded()
        return ChartRect(x: (area.midX - w / 2).rounded(), y: (area.midY - h / 2).rounded(), width: w, height: h)
    }
}
