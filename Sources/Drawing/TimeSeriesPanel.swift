import Foundation

/// A line chart over time inside a figure cell, drawn in the cell's own coordinates (see `CairoCanvas.translated`):
/// title, legend, value axis (`ChartParts`), shaded intervals or risk bands behind the lines, time ticks below.
///
/// A nil or non-finite value leaves a gap in its line; a value alone between gaps is drawn as a dot.
struct TimeSeriesPanel {
    var title: String
    /// The value axis title, e.g. "angle (°)".
    var valueLabel: String
    var time: [Double]
    var series: [(name: String, values: [Double?])]
    var colors: [RGB]
    /// Shaded behind the lines in alternating tones, each labelled at the top (e.g. repetitions).
    var intervals: [(start: Double, end: Double, label: String)] = []
    /// Risk charts: a fixed 0-100 axis with ticks at the band edges and the bands in faint colours behind.
    var riskBands = false

    static let timeLabel = "time (s)"
    static let intervalTones = [RGB(0.89, 0.92, 0.97), RGB(0.94, 0.95, 0.98)]
    /// How much of a band's colour its faint fill keeps (the rest is white).
    static let bandStrength = 0.16
    /// Room below the plot for the time ticks and the axis title.
    static let bottomBand = 40.0

    /// The value axis: risk bands' edges, or round numbers around the finite values (0-180 when there are none).
    var valueScale: AxisScale {
        if riskBands {
            return AxisScale(lower: 0, upper: 100, ticks: [0] + RiskColors.bands.dropFirst().map(\.lower) + [100], mantissa: 1, exponent: 1)
        }
        let values = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
        guard let low = values.min(), let high = values.max() else { return AxisScale.nice(0, 180) }
        return AxisScale.nice(low, high)
    }

    /// The shared time axis of a figure's panels, over the finite times (0-1 when there are none).
    static func timeScale(_ time: [Double]) -> AxisScale {
        let finite = time.filter(\.isFinite)
        return AxisScale.nice(finite.min() ?? 0, finite.max() ?? 1)
    }

    /// The least left edge of the plot that leaves room for the value axis's labels and title.
    func minimumPlotLeft(on canvas: CairoCanvas) -> Double {
        (ChartStyle.margin + ChartStyle.labelSize + 10 + ChartParts.tickLabelWidth(valueScale, on: canvas) + 6).rounded(.up)
    }

    /// Draws the panel in a `size` cell; `plotLeft` lines its plot up with the other panels' (at least `minimumPlotLeft`).
    func draw(size: (width: Double, height: Double), plotLeft: Double, timeScale: AxisScale, on canvas: CairoCanvas) {
        ChartParts.drawTitle(title, width: size.width, on: canvas)
        let (legend, plot) = layout(size: size, plotLeft: plotLeft, on: canvas)
        ChartParts.drawLegend(legend, colors: color, on: canvas)
        let scale = valueScale
        if riskBands { drawBands(scale, plot: plot, on: canvas) }
        drawIntervals(timeScale, plot: plot, on: canvas)
        ChartParts.drawValueAxis(scale, title: valueLabel, plot: plot, on: canvas)
        if riskBands { drawBandEdges(scale, plot: plot, on: canvas) }
        drawTimeAxis(timeScale, plot: plot, on: canvas)
        let hasValues = series.contains { $0.values.contains { $0?.isFinite == true } }
        if !hasValues { ChartParts.drawNoData(in: plot, on: canvas) }
        canvas.clipped(x: plot.x, y: plot.y - 2, width: plot.width, height: plot.height + 4) {
            for (index, line) in series.enumerated() {
                drawLine(line.values, color: color(index), scales: (timeScale, scale), plot: plot, on: canvas)
            }
        }
    }

    /// The legend under the title and the plotting area below it, in the cell's coordinates.
    func layout(size: (width: Double, height: Double), plotLeft: Double, on canvas: CairoCanvas) -> (legend: [ChartParts.LegendItem], plot: ChartRect) {
        let legend = ChartParts.legend(series.map(\.name), top: ChartStyle.titleBaseline + 8, width: size.width, on: canvas)
        let top = (legend.items.isEmpty ? ChartStyle.titleBaseline + 14 : legend.bottom + 8).rounded()
        let plot = ChartRect(x: plotLeft, y: top, width: max(1, size.width - ChartStyle.margin - plotLeft),
                             height: max(1, size.height - Self.bottomBand - top))
        return (legend.items, plot)
    }

    func color(_ index: Int) -> RGB { colors.isEmpty ? ChartStyle.color(index) : colors[index % colors.count] }

    private func drawBands(_ scale: AxisScale, plot: ChartRect, on canvas: CairoCanvas) {
        for (index, band) in RiskColors.bands.enumerated() {
            let upper = index + 1 < RiskColors.bands.count ? RiskColors.bands[index + 1].lower : scale.upper
            let top = scale.position(upper, from: plot.maxY, to: plot.y).rounded()
            let bottom = scale.position(band.lower, from: plot.maxY, to: plot.y).rounded()
            canvas.setColor(Self.faint(band.color))
            canvas.fillRectangle(x: plot.x, y: top, width: plot.width, height: bottom - top)
        }
    }

    /// A line in the colour of the band above each edge, over the grid line there.
    private func drawBandEdges(_ scale: AxisScale, plot: ChartRect, on canvas: CairoCanvas) {
        for band in RiskColors.bands.dropFirst() {
            let y = ChartParts.crisp(scale.position(band.lower, from: plot.maxY, to: plot.y))
            canvas.setColor(band.color)
            canvas.line(from: Point2(x: plot.x, y: y), to: Point2(x: plot.maxX, y: y), width: 1)
        }
    }

    private func drawIntervals(_ timeScale: AxisScale, plot: ChartRect, on canvas: CairoCanvas) {
        for (index, interval) in intervals.enumerated() where interval.start.isFinite && interval.end.isFinite {
            let a = timeScale.position(min(interval.start, interval.end), from: plot.x, to: plot.maxX)
            let b = timeScale.position(max(interval.start, interval.end), from: plot.x, to: plot.maxX)
            let left = max(plot.x, a.rounded()), right = min(plot.maxX, b.rounded())
            guard right > left else { continue }
            canvas.setColor(Self.intervalTones[index % Self.intervalTones.count])
            canvas.fillRectangle(x: left, y: plot.y, width: right - left, height: plot.height)
            guard right - left >= 14, !interval.label.isEmpty else { continue }
            let text = ChartParts.fit(interval.label, width: right - left - 6, size: ChartStyle.tickSize, on: canvas)
            canvas.setColor(ChartStyle.noteColor)
            canvas.text(text, at: Point2(x: left + 3, y: plot.y + ChartStyle.tickSize + 2), size: ChartStyle.tickSize)
        }
    }

    /// Tick labels under the plot and "time (s)" centred below them.
    private func drawTimeAxis(_ scale: AxisScale, plot: ChartRect, on canvas: CairoCanvas) {
        canvas.setColor(ChartStyle.axisColor)
        for tick in scale.ticks {
            let label = scale.label(tick)
            let x = scale.position(tick, from: plot.x, to: plot.maxX)
            canvas.line(from: Point2(x: ChartParts.crisp(x), y: plot.maxY), to: Point2(x: ChartParts.crisp(x), y: plot.maxY + 4), width: 1)
            canvas.text(label, at: Point2(x: x - canvas.textWidth(label, size: ChartStyle.tickSize) / 2, y: plot.maxY + 17), size: ChartStyle.tickSize)
        }
        canvas.setColor(ChartStyle.textColor)
        let width = canvas.textWidth(Self.timeLabel, size: ChartStyle.labelSize)
        canvas.text(Self.timeLabel, at: Point2(x: plot.midX - width / 2, y: plot.maxY + 34), size: ChartStyle.labelSize)
    }

    private func drawLine(_ values: [Double?], color: RGB, scales: (time: AxisScale, value: AxisScale), plot: ChartRect,
                          on canvas: CairoCanvas) {
        canvas.setColor(color)
        var run: [Point2] = []
        func finish() {
            if run.count == 1 { canvas.dot(at: run[0], radius: 2) } else { canvas.polyline(run, width: 2) }
            run.removeAll(keepingCapacity: true)
        }
        for (t, value) in zip(time, values) {
            guard t.isFinite, let value, value.isFinite else { finish(); continue }
            run.append(Point2(x: scales.time.position(t, from: plot.x, to: plot.maxX),
                              y: scales.value.position(value, from: plot.maxY, to: plot.y)))
        }
        finish()
    }

    /// `color` mixed with white, keeping `bandStrength` of it.
    static func faint(_ color: RGB) -> RGB {
        let keep = bandStrength
        return RGB(1 - keep + keep * color.r, 1 - keep + keep * color.g, 1 - keep + keep * color.b)
    }
}
