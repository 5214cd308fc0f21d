import Foundation

/// Small line charts side by side, sharing one x axis (e.g. a training run's loss and metrics per epoch).
///
/// Each panel has its own y axis and one line per series (series `i` in colour `i`, with a dot at each
/// point); a nil value leaves a gap. Panels fill rows of `columns`.
public struct LineChartGrid: Sendable {
    public struct Panel: Sendable {
        public var title: String
        /// Series names and their values, one per x position (nil: no value there).
        public var series: [(name: String, values: [Double?])]
        public init(title: String, series: [(name: String, values: [Double?])]) {
            self.title = title
            self.series = series
        }
    }

    public var title: String
    public var xLabel: String
    /// The x positions (e.g. epochs 1, 2, 3).
    public var x: [Double]
    public var panels: [Panel]
    public var columns = 3
    public var panelWidth = 360, panelHeight = 240

    public init(title: String, xLabel: String, x: [Double], panels: [Panel]) {
        self.title = title
        self.xLabel = xLabel
        self.x = x
        self.panels = panels
    }

    /// Renders the grid and writes a PNG atomically; throws a `DrawingError` naming `url`.
    public func write(to url: URL) throws {
        try ChartParts.write(to: url) { try render() }
    }

    func render() throws -> CairoCanvas {
        for panel in panels {
            for s in panel.series where s.values.count != x.count {
                throw ChartDataError(message: "panel \"\(panel.title)\", series \"\(s.name)\": \(s.values.count) values for \(x.count) x positions")
            }
        }
        let columns = max(1, min(self.columns, max(1, panels.count)))
        let rows = max(1, (panels.count + columns - 1) / columns)
        let top = 44.0
        let canvas = try CairoCanvas(width: columns * panelWidth, height: Int(top) + rows * panelHeight)
        ChartParts.drawTitle(title, note: xLabel.isEmpty ? nil : "x: \(xLabel)", width: Double(columns * panelWidth), on: canvas)
        let xScale = AxisScale.nice(x.min() ?? 0, x.max() ?? 1, integral: true)
        for (index, panel) in panels.enumerated() {
            let cell = ChartRect(x: Double(index % columns * panelWidth), y: top + Double(index / columns * panelHeight),
                                 width: Double(panelWidth), height: Double(panelHeight))
            draw(panel, in: cell, xScale: xScale, on: canvas)
        }
        return canvas
    }

    private func draw(_ panel: Panel, in cell: ChartRect, xScale: AxisScale, on canvas: CairoCanvas) {
        let values = panel.series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
        let yScale = AxisScale.nice(min(0, values.min() ?? 0), values.max() ?? 1)
        let left = cell.x + 16 + ChartParts.tickLabelWidth(yScale, on: canvas)
        let plot = ChartRect(x: left, y: cell.y + 30, width: cell.maxX - 16 - left, height: cell.height - 64)
        canvas.setColor(ChartStyle.textColor)
        canvas.text(ChartParts.fit(panel.title, width: cell.width - 24, size: ChartStyle.labelSize, bold: true, on: canvas),
                    at: Point2(x: cell.x + 12, y: cell.y + 18), size: ChartStyle.labelSize, bold: true)
        for tick in yScale.ticks {
            let y = ChartParts.crisp(yScale.position(tick, from: plot.maxY, to: plot.y))
            canvas.setColor(ChartStyle.gridColor)
            canvas.line(from: Point2(x: plot.x, y: y), to: Point2(x: plot.maxX, y: y), width: 1)
            let label = yScale.label(tick)
            canvas.setColor(ChartStyle.axisColor)
            canvas.text(label, at: Point2(x: plot.x - 6 - canvas.textWidth(label, size: ChartStyle.tickSize), y: y + 4), size: ChartStyle.tickSize)
        }
        for tick in xScale.ticks {
            let px = xScale.position(tick, from: plot.x, to: plot.maxX)
            let label = xScale.label(tick)
            canvas.setColor(ChartStyle.axisColor)
            canvas.text(label, at: Point2(x: px - canvas.textWidth(label, size: ChartStyle.tickSize) / 2, y: plot.maxY + 16), size: ChartStyle.tickSize)
        }
        canvas.line(from: Point2(x: plot.x, y: ChartParts.crisp(plot.maxY)), to: Point2(x: plot.maxX, y: ChartParts.crisp(plot.maxY)), width: 1)
        if values.isEmpty { ChartParts.drawNoData(in: plot, on: canvas) }
        var legendX = plot.x
        for (i, series) in panel.series.enumerated() {
            canvas.setColor(ChartStyle.color(i))
            var previous: Point2?
            for (xi, value) in zip(x, series.values) {
                guard let value, value.isFinite else { previous = nil; continue }
                let point = Point2(x: xScale.position(xi, from: plot.x, to: plot.maxX), y: yScale.position(value, from: plot.maxY, to: plot.y))
                if let previous { canvas.line(from: previous, to: point, width: 2) }
                canvas.dot(at: point, radius: 2.5)
                previous = point
            }
            if panel.series.count > 1 {
                canvas.fillRectangle(x: legendX, y: cell.maxY - 16, width: 10, height: 10)
                canvas.setColor(ChartStyle.textColor)
                canvas.text(series.name, at: Point2(x: legendX + 14, y: cell.maxY - 7), size: ChartStyle.tickSize)
                legendX += 24 + canvas.textWidth(series.name, size: ChartStyle.tickSize)
            }
        }
    }
}
