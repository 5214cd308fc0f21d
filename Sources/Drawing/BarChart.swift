import Foundation

/// A stacked bar chart: one bar per category, one coloured segment per series, with a legend and a value axis.
///
/// Segments stack from the bottom in series order, and series `i` takes colour `i` of `colors` (the
/// Okabe-Ito palette unless replaced; wrapping around when there are more series than colours). Each bar's
/// total is printed above it when there is room. Category labels sit under the bars; when they would
/// overlap they are turned 45°, shortened with an ellipsis if still too long, and with very many
/// categories only every few are labelled.
public struct BarChart: Sendable {
    public var title: String
    /// X axis labels, e.g. exercises.
    public var categories: [String]
    /// Legend entries, e.g. quality levels "excellent", "good", "fair", "poor", "unlabeled".
    public var series: [String]
    /// `values[category][series]`: finite and not negative.
    public var values: [[Double]]
    /// Y axis title, e.g. "videos".
    public var valueLabel: String
    /// Image size in pixels; values below 1 count as 1.
    public var width = 800, height = 450
    /// Series colours in order; empty means the default palette.
    public var colors: [RGB] = ChartStyle.palette

    public init(title: String, categories: [String], series: [String], values: [[Double]], valueLabel: String) {
        self.title = title
        self.categories = categories
        self.series = series
        self.values = values
        self.valueLabel = valueLabel
    }

    /// Renders the chart and writes a PNG atomically (temporary file beside `url`, then a rename).
    ///
    /// A missing parent folder is created. Throws a `DrawingError` naming `url` when `values` does not have
    /// one row per category and one entry per series, when a value is negative or not finite, or when the
    /// file cannot be written; then whatever was at `url` is left untouched and no temporary file remains.
    /// No categories or no series still give a valid image, with a "no data" note.
    public func write(to url: URL) throws {
        try ChartParts.write(to: url) { try render() }
    }

    /// The colour of series `index`.
    func color(_ index: Int) -> RGB {
        colors.isEmpty ? ChartStyle.color(index) : colors[index % colors.count]
    }

    /// Throws when `values` does not match `categories` × `series` or holds a value that cannot be drawn.
    func validate() throws {
        guard values.count == categories.count else {
            throw ChartDataError(message: "values has \(values.count) rows; expected one per category (\(categories.count))")
        }
        for (row, entries) in values.enumerated() {
            guard entries.count == series.count else {
                throw ChartDataError(message: "values[\(row)] (\"\(categories[row])\") has \(entries.count) entries; expected one per series (\(series.count))")
            }
            for (column, value) in entries.enumerated() where !(value.isFinite && value >= 0) {
                throw ChartDataError(message: "values[\(row)][\(column)] is \(value); expected a finite number of at least 0")
            }
        }
    }

    /// Draws the whole chart in memory; nothing touches the disk yet.
    func render() throws -> CairoCanvas {
        try validate()
        let canvas = try CairoCanvas(width: max(1, width), height: max(1, height))
        let layout = layout(on: canvas)
        ChartParts.drawTitle(title, width: Double(max(1, width)), on: canvas)
        ChartParts.drawLegend(layout.legend, colors: color, on: canvas)
        ChartParts.drawValueAxis(layout.scale, title: valueLabel, plot: layout.plot, on: canvas)
        if categories.isEmpty || series.isEmpty {
            ChartParts.drawNoData(in: layout.plot, on: canvas)
        }
        for bar in layout.bars {
            for (index, segment) in bar.enumerated() where segment.height > 0 {
                canvas.setColor(color(index))
                canvas.fillRectangle(x: segment.x, y: segment.y, width: segment.width, height: segment.height)
            }
        }
        canvas.setColor(ChartStyle.axisColor)
        for total in layout.totals {
            canvas.text(total.text, at: total.baseline, size: ChartStyle.tickSize)
        }
        canvas.setColor(ChartStyle.textColor)
        for label in layout.labels {
            canvas.text(label.text, at: label.baseline, size: ChartStyle.tickSize, angle: label.angle)
        }
        try canvas.check()
        return canvas
    }

    /// The layout on a scratch canvas of the chart's size (text widths need a canvas); for tests.
    func layout() throws -> BarChartLayout {
        layout(on: try CairoCanvas(width: max(1, width), height: max(1, height)))
    }

    /// Where everything goes. Expects `validate()` to have passed (missing entries count as 0).
    func layout(on canvas: CairoCanvas) -> BarChartLayout {
        let width = Double(max(1, self.width)), height = Double(max(1, self.height))
        let legend = ChartParts.legend(series, top: ChartStyle.titleBaseline + 10, width: width, on: canvas)
        let totals = categories.indices.map { row in values.indices.contains(row) ? values[row].reduce(0, +) : 0 }
        let integral = values.allSatisfy { $0.allSatisfy { $0 == $0.rounded() } }
        let scale = AxisScale.nice(0, totals.max() ?? 0, integral: integral)

        let left = (ChartStyle.margin + ChartStyle.labelSize + 10 + ChartParts.tickLabelWidth(scale, on: canvas) + 6).rounded()
        let right = (width - ChartStyle.margin).rounded()
        let top = (legend.bottom + 14).rounded()
        let plotWidth = max(1, right - left)
        let slot = plotWidth / Double(max(1, categories.count))
        let textWidths = categories.map { canvas.textWidth($0, size: ChartStyle.tickSize) }
        let widest = textWidths.max() ?? 0
        let upright = widest <= slot - 6

        // Turned labels hang down-left from their bar, at most a third of the image deep.
        let diagonal = 0.5.squareRoot()
        let longest = min(widest, max(20, (height / 3 - 16) / diagonal))
        let band = upright ? ChartStyle.tickSize + 10 : (longest * diagonal + 16).rounded(.up)
        let bottom = max(top + 1, (height - ChartStyle.margin - band).rounded())
        let plot = ChartRect(x: left, y: top, width: plotWidth, height: bottom - top)

        let barWidth = max(1, min(slot * 0.7, 72).rounded())
        var bars: [[ChartRect]] = []
        var labels: [CategoryLabel] = []
        var totalLabels: [TotalLabel] = []
        // Turned labels are slot × √½ apart across their baselines; keep them a line apart.
        let every = upright ? 1 : max(1, Int(((ChartStyle.tickSize + 4) / (slot * diagonal)).rounded(.up)))
        for (row, category) in categories.enumerated() {
            let center = plot.x + slot * (Double(row) + 0.5)
            let x = (center - barWidth / 2).rounded()
            var sum = 0.0
            var segments: [ChartRect] = []
            for column in series.indices {
                let value = values.indices.contains(row) && values[row].indices.contains(column) ? values[row][column] : 0
                let base = scale.position(sum, from: plot.maxY, to: plot.y).rounded()
                sum += value
                let top = scale.position(sum, from: plot.maxY, to: plot.y).rounded()
                segments.append(ChartRect(x: x, y: top, width: barWidth, height: base - top))
            }
            bars.append(segments)

            if !series.isEmpty {
                let total = Self.format(sum, integral: integral)
                let totalWidth = canvas.textWidth(total, size: ChartStyle.tickSize)
                if totalWidth <= slot - 2 {
                    let barTop = scale.position(sum, from: plot.maxY, to: plot.y).rounded()
                    totalLabels.append(TotalLabel(text: total, baseline: Point2(x: center - totalWidth / 2, y: barTop - 4)))
                }
            }

            guard row % every == 0 else { continue }
            if upright {
                labels.append(CategoryLabel(text: category, baseline: Point2(x: center - textWidths[row] / 2, y: plot.maxY + 16), angle: 0))
            } else {
                // The text ends just right of the bar's centre and rises at 45°; keep its start inside the image.
                let end = Point2(x: center + 3, y: plot.maxY + 12)
                let room = min(longest, (end.x - 2) / diagonal)
                let text = ChartParts.fit(category, width: room, size: ChartStyle.tickSize, on: canvas)
                let length = canvas.textWidth(text, size: ChartStyle.tickSize)
                labels.append(CategoryLabel(text: text, baseline: Point2(x: end.x - length * diagonal, y: end.y + length * diagonal), angle: -Double.pi / 4))
            }
        }
        return BarChartLayout(plot: plot, scale: scale, legend: legend.items, bars: bars, labels: labels, totals: totalLabels)
    }

    /// A bar total: whole numbers without decimals, others with up to two.
    static func format(_ value: Double, integral: Bool) -> String {
        if integral { return String(format: "%.0f", value) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// A category's label under its bar: `angle` 0 for upright text, -π/4 for text rising to the right.
struct CategoryLabel: Equatable {
    var text: String
    var baseline: Point2
    var angle: Double
}

/// A bar's total, printed above it.
struct TotalLabel: Equatable {
    var text: String
    var baseline: Point2
}

/// Pixel geometry of a bar chart.
struct BarChartLayout {
    /// The plotting area: the value axis's zero is at `plot.maxY`, its top tick at `plot.y`.
    var plot: ChartRect
    var scale: AxisScale
    var legend: [ChartParts.LegendItem]
    /// `bars[category][series]`: one segment per series, stacked upwards in series order, on whole pixels;
    /// a zero value gives a segment of height 0.
    var bars: [[ChartRect]]
    var labels: [CategoryLabel]
    var totals: [TotalLabel]
}
