import Foundation

/// The one picture of an analysed video a coach looks at first (see `SummaryLayout`): a title line, the main
/// joint angles over time with the repetitions shaded behind them, each joint's risk over time on the risk
/// bands (`RiskColors`), a key frame with its skeleton drawn by `PoseOverlay`, and one bar per repetition
/// coloured by its quality level (`QualityColors`: excellent >= 85, good 70-85, fair 50-70, poor < 50).
///
/// Takes plain numbers and strings; knows nothing of how they were measured.
public struct SummaryFigure: Sendable {
    /// A video frame to show, with the pose drawn on it as on the overlay video.
    public struct KeyFrame: Sendable {
        /// Packed RGB24: `width * height * 3` bytes, top row first, R G B.
        public var pixels: [UInt8]
        public var width: Int
        public var height: Int
        /// Landmarks in the frame's own pixels; the frame is drawn at full size, then scaled to fit its panel.
        public var skeleton: PoseOverlay.Skeleton
        /// The overlay's text panel lines; empty for none.
        public var panel: [String]
        /// Printed at the top right of the key frame's panel, e.g. "t = 4.2 s, deepest squat"; empty for none.
        public var caption: String

        public init(pixels: [UInt8], width: Int, height: Int, skeleton: PoseOverlay.Skeleton, panel: [String] = [], caption: String = "") {
            self.pixels = pixels
            self.width = width
            self.height = height
            self.skeleton = skeleton
            self.panel = panel
            self.caption = caption
        }
    }

    /// E.g. "squat · 5 reps · score 78 · risk moderate".
    public var title: String
    /// Sample times in seconds, shared by `angles` and `risks`.
    public var time: [Double]
    /// Joint angle series in degrees, one value per time (nil: not measured then).
    public var angles: [(name: String, values: [Double?])]
    /// Repetitions as time intervals in seconds, shaded behind the angles and labelled (e.g. "rep 1").
    public var reps: [(start: Double, end: Double, label: String)]
    /// Risk series 0-100 per joint, one value per time (nil: no score then).
    public var risks: [(name: String, values: [Double?])]
    /// One score (0-100) per repetition, drawn as a bar in its quality colour.
    public var repScores: [(label: String, score: Double)]
    /// Nil shows a "no data" note in its place.
    public var keyFrame: KeyFrame?
    /// Image size in pixels; values below 1 count as 1. Readable from about 1200 × 750.
    public var width = 1600, height = 1000

    public init(title: String, time: [Double], angles: [(name: String, values: [Double?])],
                reps: [(start: Double, end: Double, label: String)], risks: [(name: String, values: [Double?])],
                repScores: [(label: String, score: Double)], keyFrame: KeyFrame?) {
        self.title = title
        self.time = time
        self.angles = angles
        self.reps = reps
        self.risks = risks
        self.repScores = repScores
        self.keyFrame = keyFrame
    }

    /// Lines of both charts over time take blue, reddish purple, black, sky blue and grey (wrapping around):
    /// none of them a risk band or quality colour, so a line's colour never reads as a verdict.
    static let lineColors = [ChartStyle.hex(0x0072B2), ChartStyle.hex(0xCC79A7), RGB(0, 0, 0), ChartStyle.hex(0x56B4E9),
                                 ChartStyle.hex(0x999999)]

    /// Renders the figure and writes a PNG atomically (temporary file beside `url`, then a rename), creating a
    /// missing parent folder.
    ///
    /// Throws a `DrawingError` naming `url` when a series does not have one value per time, a rep score is
    /// negative or not finite, the key frame's bytes do not match its size, or the file cannot be written;
    /// then whatever was at `url` is left untouched and no temporary file remains. No reps, no series or
    /// series without values still give a full figure, with "no data" notes.
    public func write(to url: URL) throws {
        try ChartParts.write(to: url) { try render() }
    }

    /// Throws when the data cannot be drawn as given.
    func validate() throws {
        for (kind, list) in [("angle", angles), ("risk", risks)] {
            for s in list where s.values.count != time.count {
                throw ChartDataError(message: "\(kind) series \"\(s.name)\": \(s.values.count) values for \(time.count) times")
            }
        }
        for rep in repScores where !(rep.score.isFinite && rep.score >= 0) {
            throw ChartDataError(message: "rep \"\(rep.label)\" has score \(rep.score); expected a finite number of at least 0")
        }
        if let keyFrame {
            do {
                try RGBFrame.validate(count: keyFrame.pixels.count, width: keyFrame.width, height: keyFrame.height)
            } catch let problem as ChartDataError {
                throw ChartDataError(message: "key frame: \(problem.message)")
            }
        }
    }

    /// Draws the whole figure in memory; nothing touches the disk yet.
    func render() throws -> CairoCanvas {
        try validate()
        let layout = SummaryLayout(width: width, height: height)
        let canvas = try CairoCanvas(width: Int(layout.width), height: Int(layout.height))
        canvas.setColor(ChartStyle.textColor)
        let shown = ChartParts.fit(title, width: layout.width - 2 * ChartStyle.margin, size: SummaryLayout.titleSize, bold: true, on: canvas)
        canvas.text(shown, at: Point2(x: ChartStyle.margin, y: SummaryLayout.titleBaseline), size: SummaryLayout.titleSize, bold: true)

        let panels = timePanels(layout)
        let timeScale = TimeSeriesPanel.timeScale(time)
        let plotLeft = panels.map { $0.panel.minimumPlotLeft(on: canvas) }.max() ?? 0
        for (cell, panel) in panels {
            canvas.translated(x: cell.x, y: cell.y, width: cell.width, height: cell.height) {
                panel.draw(size: (cell.width, cell.height), plotLeft: plotLeft, timeScale: timeScale, on: canvas)
            }
        }
        try drawKeyFrame(layout, on: canvas)
        canvas.paint(try scoreChart(size: layout.scores).render(), into: layout.scores)
        drawSeparators(layout, on: canvas)
        try canvas.check()
        return canvas
    }

    /// The two charts over time and their cells: angles with the reps shaded, risks on the bands. Both plots
    /// start at the larger of their `minimumPlotLeft`s, so their time axes line up.
    func timePanels(_ layout: SummaryLayout) -> [(cell: ChartRect, panel: TimeSeriesPanel)] {
        [(layout.angles, TimeSeriesPanel(title: "joint angles", valueLabel: "angle (°)", time: time, series: angles,
                                         colors: Self.lineColors, intervals: reps)),
         (layout.risks, TimeSeriesPanel(title: "risk by joint", valueLabel: "risk (0-100)", time: time, series: risks,
                                        colors: Self.lineColors, riskBands: true))]
    }

    /// The per-rep bars as a `BarChart` of the scores cell's size: one series per quality level, so each bar is
    /// a single segment in its level's colour and the legend names the levels.
    func scoreChart(size: ChartRect) -> BarChart {
        let levels = QualityColors.levels
        let values = repScores.map { rep in
            levels.indices.map { $0 == QualityColors.level(rep.score) ? rep.score : 0 }
        }
        var chart = BarChart(title: "score per rep", categories: repScores.map(\.label), series: QualityColors.legend,
                             values: values, valueLabel: "score")
        chart.colors = levels.map(\.color)
        chart.width = max(1, Int(size.width))
        chart.height = max(1, Int(size.height))
        return chart
    }

    private func drawKeyFrame(_ layout: SummaryLayout, on canvas: CairoCanvas) throws {
        let cell = layout.keyFrame
        canvas.translated(x: cell.x, y: cell.y, width: cell.width, height: cell.height) {
            ChartParts.drawTitle("key frame", note: keyFrame?.caption, width: cell.width, on: canvas)
        }
        guard let keyFrame else {
            let area = layout.keyFrameImage(width: 16, height: 9)
            return ChartParts.drawNoData(in: area, on: canvas)
        }
        var pixels = keyFrame.pixels
        try PoseOverlay().render(on: &pixels, width: keyFrame.width, height: keyFrame.height, skeleton: keyFrame.skeleton,
                                 panel: keyFrame.panel)
        let image = try RGBFrame.canvas(pixels, width: keyFrame.width, height: keyFrame.height)
        let place = layout.keyFrameImage(width: keyFrame.width, height: keyFrame.height)
        // A one-pixel frame around the picture, so a pale video still has an edge on the white page.
        canvas.setColor(ChartStyle.gridColor)
        canvas.fillRectangle(x: place.x - 1, y: place.y - 1, width: place.width + 2, height: place.height + 2)
        canvas.paint(image, into: place)
    }

    /// Light lines between the four cells.
    private func drawSeparators(_ layout: SummaryLayout, on canvas: CairoCanvas) {
        canvas.setColor(ChartStyle.gridColor)
        let x = ChartParts.crisp(layout.keyFrame.x), y = ChartParts.crisp(layout.risks.y)
        canvas.line(from: Point2(x: x, y: layout.angles.y + 8), to: Point2(x: x, y: layout.height - 8), width: 1)
        canvas.line(from: Point2(x: 8, y: y), to: Point2(x: layout.width - 8, y: y), width: 1)
    }
}
