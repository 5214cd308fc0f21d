import Foundation

/// A histogram of values in equal-width bins, with counts on the y axis.
///
/// The bins span the smallest to the largest value; the x axis runs over round numbers around them.
/// Values that are NaN or infinite are left out of the bins, and the top right says how many values were
/// counted ("n = …").
public struct Histogram: Sendable {
    public var title: String
    public var values: [Double]
    /// Number of bins; values below 1 count as 1.
    public var bins = 20
    /// X axis title, e.g. "duration (s)".
    public var valueLabel: String
    /// Y axis title.
    public var countLabel = "count"
    /// Image size in pixels; values below 1 count as 1.
    public var width = 800, height = 450

    public init(title: String, values: [Double], valueLabel: String) {
        self.title = title
        self.values = values
        self.valueLabel = valueLabel
    }

    /// The bins' `bins + 1` edges, smallest first, and the number of values in each bin.
    ///
    /// Each bin holds values from its left edge up to, not including, its right edge, except the last, which
    /// includes the largest value. Non-finite values are not counted. No (finite) values give zero counts
    /// over [0, 1]; values that are all equal sit in the middle bin of a range of width 1 around them
    /// (wider for large magnitudes).
    public func binCounts() -> (edges: [Double], counts: [Int]) {
        let bins = max(1, self.bins)
        let finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else {
            return ((0...bins).map { Double($0) / Double(bins) }, Array(repeating: 0, count: bins))
        }
        // Halving first keeps the width finite even between -max and +max.
        func binWidth() -> Double { (high / 2 - low / 2) / Double(bins) * 2 }
        if !(binWidth() > 0) {
            // All equal (or so close that a bin would have no width): a range around them.
            let half = max(0.5, max(abs(low), abs(high)) * 1e-6)
            (low, high) = (low - half, high + half)
        }
        let width = binWidth()
        var edges = (0...bins).map { low + width * Double($0) }
        edges[bins] = high
        var counts = Array(repeating: 0, count: bins)
        for value in finite {
            // Clamped before the conversion: between -max and +max the offset itself can overflow.
            var bin = min(bins - 1, Int(min(Double(bins), max(0, (value - low) / width)).rounded(.down)))
            // Rounding can put a value that sits exactly on an edge one bin off; the edges decide.
            if bin + 1 < bins && value >= edges[bin + 1] { bin += 1 }
            if bin > 0 && value < edges[bin] { bin -= 1 }
            counts[bin] += 1
        }
        return (edges, counts)
    }

    /// Renders the chart and writes a PNG atomically (temporary file beside `url`, then a rename).
    ///
    /// A missing parent folder is created. No values still give a valid image, with a "no data" note. On
    /// failure this throws a `DrawingError` naming `url`, leaves whatever was at `url` untouched and leaves
    /// no temporary file behind.
    public func write(to url: URL) throws {
        try ChartParts.write(to: url) { try render() }
    }

    static let barColor = ChartStyle.hex(0x0072B2)

    /// Draws the whole chart in memory; nothing touches the disk yet.
    func render() throws -> CairoCanvas {
        let canvas = try CairoCanvas(width: max(1, width), height: max(1, height))
        let layout = layout(on: canvas)
        let plot = layout.plot
        ChartParts.drawTitle(title, note: "n = \(layout.counts.reduce(0, +))", width: Double(max(1, width)), on: canvas)
        ChartParts.drawValueAxis(layout.countScale, title: countLabel, plot: plot, on: canvas)
        if layout.counts.allSatisfy({ $0 == 0 }) {
            ChartParts.drawNoData(in: plot, on: canvas)
        }
        canvas.setColor(Self.barColor)
        for bar in layout.bars where bar.height > 0 {
            canvas.fillRectangle(x: bar.x, y: bar.y, width: bar.width, height: bar.height)
        }

        // The value axis along the bottom: tick marks and labels centred under them, skipping any that would
        // run into the previous one, then the axis title.
        var previousEnd = -Double.infinity
        for tick in layout.valueScale.ticks {
            let x = ChartParts.crisp(layout.valueScale.position(tick, from: plot.x, to: plot.maxX))
            canvas.setColor(ChartStyle.axisColor)
            canvas.line(from: Point2(x: x, y: plot.maxY), to: Point2(x: x, y: plot.maxY + 5), width: 1)
            let label = layout.valueScale.label(tick)
            let labelWidth = canvas.textWidth(label, size: ChartStyle.tickSize)
            guard x - labelWidth / 2 > previousEnd + 4 else { continue }
            canvas.text(label, at: Point2(x: x - labelWidth / 2, y: plot.maxY + 18), size: ChartStyle.tickSize)
            previousEnd = x + labelWidth / 2
        }
        let shown = ChartParts.fit(valueLabel, width: plot.width, size: ChartStyle.labelSize, on: canvas)
        canvas.setColor(ChartStyle.textColor)
        canvas.text(shown, at: Point2(x: plot.midX - canvas.textWidth(shown, size: ChartStyle.labelSize) / 2, y: plot.maxY + 38),
                    size: ChartStyle.labelSize)
        try canvas.check()
        return canvas
    }

    /// The layout on a scratch canvas of the chart's size (text widths need a canvas); for tests.
    func layout() throws -> HistogramLayout {
        layout(on: try CairoCanvas(width: max(1, width), height: max(1, height)))
    }

    /// Where everything goes.
    func layout(on canvas: CairoCanvas) -> HistogramLayout {
        let width = Double(max(1, self.width)), height = Double(max(1, self.height))
        let (edges, counts) = binCounts()
        let countScale = AxisScale.nice(0, Double(counts.max() ?? 0), integral: true)
        let valueScale = AxisScale.nice(edges.first!, edges.last!)

        let left = (ChartStyle.margin + ChartStyle.labelSize + 10 + ChartParts.tickLabelWidth(countScale, on: canvas) + 6).rounded()
        // The last value label is centred on the plot's right edge.
        let lastLabel = canvas.textWidth(valueScale.label(valueScale.upper), size: ChartStyle.tickSize)
        let right = (width - ChartStyle.margin - lastLabel / 2).rounded()
        let top = (ChartStyle.titleBaseline + 24).rounded()
        let bottom = max(top + 1, (height - ChartStyle.margin - 40).rounded())
        let plot = ChartRect(x: left, y: top, width: max(1, right - left), height: bottom - top)

        let bars = counts.indices.map { bin in
            let x0 = valueScale.position(edges[bin], from: plot.x, to: plot.maxX).rounded()
            let x1 = valueScale.position(edges[bin + 1], from: plot.x, to: plot.maxX).rounded()
            // A one-pixel gap between neighbouring bars, when the bars are wide enough to spare it.
            let barWidth = max(1, x1 - x0 >= 4 ? x1 - x0 - 1 : x1 - x0)
            let y = countScale.position(Double(counts[bin]), from: plot.maxY, to: plot.y).rounded()
            return ChartRect(x: x0, y: y, width: barWidth, height: plot.maxY - y)
        }
        return HistogramLayout(plot: plot, valueScale: valueScale, countScale: countScale, edges: edges, counts: counts, bars: bars)
    }
}

/// Pixel geometry of a histogram.
struct HistogramLayout {
    /// The plotting area: zero counts at `plot.maxY`; `valueScale.lower` at `plot.x`.
    var plot: ChartRect
    var valueScale: AxisScale
    var countScale: AxisScale
    var edges: [Double]
    var counts: [Int]
    /// One rectangle per bin, on whole pixels; an empty bin has height 0.
    var bars: [ChartRect]
}
