import BiomechCore
@testable import Drawing
import Foundation
import Testing
import TestSupport

/// 8-bit red, green, blue, for comparing pixels with colours.
private struct Bytes: Equatable, CustomStringConvertible {
    var r, g, b: UInt8
    init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }
    init(_ color: RGB) { self.init(UInt8((color.r * 255).rounded()), UInt8((color.g * 255).rounded()), UInt8((color.b * 255).rounded())) }
    static let white = Bytes(255, 255, 255)
    var description: String { "(\(r), \(g), \(b))" }
}

/// The written PNG, decoded, with pixel look-ups by layout coordinates.
private struct Picture {
    let image: RGBImage
    init(_ url: URL) throws { image = try CairoCanvas.readPNG(url.path) }
    subscript(_ x: Double, _ y: Double) -> Bytes {
        guard let p = image.rgb(x: Int(x), y: Int(y)) else { return Bytes(0, 0, 0) }
        return Bytes(p.r, p.g, p.b)
    }
    /// The centre pixel of a rectangle.
    func center(_ rect: ChartRect) -> Bytes { self[rect.midX, rect.midY] }
    /// How many pixels in `rect` are not white.
    func inked(_ rect: ChartRect) -> Int {
        var count = 0
        for y in Int(rect.y)..<Int(rect.maxY) {
            for x in Int(rect.x)..<Int(rect.maxX) where self[Double(x), Double(y)] != .white { count += 1 }
        }
        return count
    }
    /// How many pixels in `rect` are darker than the grid lines (text, not the grid behind it).
    func dark(_ rect: ChartRect) -> Int {
        var count = 0
        for y in Int(rect.y)..<Int(rect.maxY) {
            for x in Int(rect.x)..<Int(rect.maxX) {
                let pixel = self[Double(x), Double(y)]
                if max(pixel.r, pixel.g, pixel.b) < 200 { count += 1 }
            }
        }
        return count
    }
    /// The number of pixels of `color` in the pixel column `x`.
    func run(of color: Bytes, x: Double) -> Int {
        (0..<image.height).filter { self[x, Double($0)] == color }.count
    }
}

@Suite struct ChartTests {
    private static let qualities = ["excellent", "good", "fair", "poor", "unlabeled"]

    private func exerciseChart() -> BarChart {
        BarChart(title: "exercise by quality", categories: ["squat", "push-up", "deadlift", "lunge"],
                 series: Self.qualities,
                 values: [[12, 30, 8, 3, 40], [5, 10, 20, 6, 0], [0, 4, 2, 1, 9], [25, 0, 0, 0, 2]],
                 valueLabel: "videos")
    }

    // MARK: - Bar chart

    @Test func barChartWritesAPNGOfTheRequestedSize() throws {
        let folder = try TemporaryFolder()
        var chart = exerciseChart()
        try chart.write(to: folder("bars.png"))
        #expect(try PNGProbe.size(of: folder("bars.png")) == (800, 450))
        chart.width = 640
        chart.height = 360
        try chart.write(to: folder("reports/small.png"))
        #expect(try PNGProbe.size(of: folder("reports/small.png")) == (640, 360))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["bars.png", "reports"])
    }

    @Test func barSegmentsAreFilledWithTheirSeriesColours() throws {
        let folder = try TemporaryFolder()
        let chart = exerciseChart()
        try chart.write(to: folder("bars.png"))
        let picture = try Picture(folder("bars.png"))
        let layout = try chart.layout()
        var checked = 0
        for (row, bar) in layout.bars.enumerated() {
            for (column, segment) in bar.enumerated() where segment.height >= 3 {
                #expect(picture.center(segment) == Bytes(ChartStyle.palette[column]), "category \(row), series \(column) at \(segment)")
                checked += 1
            }
        }
        #expect(checked >= 12)
        // Series colours are the palette in order, and the legend swatches show them.
        for (index, item) in layout.legend.enumerated() {
            #expect(item.text == Self.qualities[index])
            #expect(picture.center(item.swatch) == Bytes(ChartStyle.palette[index]))
        }
        #expect(ChartStyle.palette[0] == ChartStyle.hex(0x009E73) && ChartStyle.palette[3] == ChartStyle.hex(0xD55E00))
        #expect(picture[0, 0] == .white)
        #expect(picture[799, 449] == .white)
        #expect(picture.inked(ChartRect(x: 0, y: 0, width: 400, height: 34)) > 50, "the title is drawn at the top")
    }

    @Test func tallerValuesGiveTallerBars() throws {
        let folder = try TemporaryFolder()
        let chart = BarChart(title: "one series", categories: ["a", "b", "c", "d"], series: ["videos"],
                             values: [[10], [40], [25], [0]], valueLabel: "videos")
        try chart.write(to: folder("bars.png"))
        let picture = try Picture(folder("bars.png"))
        let layout = try chart.layout()
        let heights = layout.bars.map { $0[0].height }
        #expect(heights[1] > heights[2] && heights[2] > heights[0] && heights[0] > heights[3])
        #expect(heights[3] == 0)
        #expect(heights[1] == layout.plot.maxY - layout.scale.position(40, from: layout.plot.maxY, to: layout.plot.y).rounded())
        // Measured in the image: the column through each bar's centre has as many bar pixels as the layout says.
        let green = Bytes(ChartStyle.palette[0])
        for bar in layout.bars.map({ $0[0] }) {
            #expect(picture.run(of: green, x: bar.midX) == Int(bar.height))
        }
        #expect(picture[layout.bars[3][0].midX, layout.plot.maxY - 3] == .white)
        // The bars stand on the axis and the top tick is above the tallest bar.
        #expect(layout.bars.allSatisfy { $0[0].maxY == layout.plot.maxY })
        #expect(layout.scale.upper >= 40)
    }

    @Test func segmentsStackInSeriesOrder() throws {
        let layout = try exerciseChart().layout()
        for bar in layout.bars {
            #expect(bar[0].maxY == layout.plot.maxY)
            for index in 1..<bar.count {
                #expect(bar[index].maxY == bar[index - 1].y, "segment \(index) sits on segment \(index - 1)")
                #expect(bar[index].x == bar[0].x && bar[index].width == bar[0].width)
            }
        }
        // The tallest stack (93 videos) reaches the right height on a 0...100 axis.
        #expect(layout.scale.ticks == [0, 20, 40, 60, 80, 100])
        #expect(layout.totals.map(\.text) == ["93", "41", "16", "27"])
    }

    @Test func categoryLabelsStayReadable() throws {
        let upright = try exerciseChart().layout()
        #expect(upright.labels.map(\.text) == ["squat", "push-up", "deadlift", "lunge"])
        #expect(upright.labels.allSatisfy { $0.angle == 0 })
        // Each label is centred under its bar.
        for (label, bar) in zip(upright.labels, upright.bars) {
            #expect(label.baseline.x < bar[0].midX && label.baseline.y > upright.plot.maxY)
        }

        let long = (1...30).map { "exercise number \($0) with a really quite long descriptive name" }
        var crowded = BarChart(title: "many", categories: long, series: ["n"], values: long.map { _ in [1] }, valueLabel: "videos")
        let turned = try crowded.layout()
        #expect(turned.labels.count == 30)
        #expect(turned.labels.allSatisfy { $0.angle == -Double.pi / 4 && $0.text.hasSuffix("…") && $0.baseline.x >= 0 })
        #expect(turned.labels.allSatisfy { $0.baseline.y < 450 }, "labels end inside the image")
        #expect(turned.plot.height > 200, "labels take at most about a third of the height")

        crowded.categories = (1...200).map { "e\($0)" }
        crowded.values = crowded.categories.map { _ in [2] }
        let thinned = try crowded.layout()
        #expect(thinned.labels.count < 200 && thinned.labels.count >= 20)
        #expect(thinned.labels.first?.text == "e1")
        let folder = try TemporaryFolder()
        try crowded.write(to: folder("crowded.png"))
        #expect(try PNGProbe.size(of: folder("crowded.png")) == (800, 450))
    }

    @Test func emptyBarChartsStillGiveAPicture() throws {
        let folder = try TemporaryFolder()
        let none = BarChart(title: "exercise by quality", categories: [], series: Self.qualities, values: [], valueLabel: "videos")
        try none.write(to: folder("none.png"))
        #expect(try PNGProbe.size(of: folder("none.png")) == (800, 450))
        let plot = try none.layout().plot
        let note = ChartRect(x: plot.midX - 40, y: plot.midY - 15, width: 80, height: 25)
        #expect(try Picture(folder("none.png")).dark(note) > 20, "a \"no data\" note in the middle")

        let noSeries = BarChart(title: "t", categories: ["squat"], series: [], values: [[]], valueLabel: "videos")
        try noSeries.write(to: folder("no-series.png"))
        #expect(try PNGProbe.size(of: folder("no-series.png")) == (800, 450))

        var tiny = exerciseChart()
        (tiny.width, tiny.height) = (0, -4)
        try tiny.write(to: folder("tiny.png"))
        #expect(try PNGProbe.size(of: folder("tiny.png")) == (1, 1))
    }

    @Test func mismatchedValuesThrowAndWriteNothing() throws {
        let folder = try TemporaryFolder()
        let target = folder("bars.png")
        var chart = exerciseChart()
        chart.values.removeLast()
        let rows = try #require(throws: DrawingError.self) { try chart.write(to: target) }
        #expect(rows.description.contains(target.path))
        #expect(rows.description.contains("values has 3 rows; expected one per category (4)"), "\(rows)")

        chart = exerciseChart()
        chart.values[2] = [1, 2]
        let entries = try #require(throws: DrawingError.self) { try chart.write(to: target) }
        #expect(entries.description.contains("values[2] (\"deadlift\") has 2 entries; expected one per series (5)"), "\(entries)")

        chart = exerciseChart()
        chart.values[1][3] = -1
        let negative = try #require(throws: DrawingError.self) { try chart.write(to: target) }
        #expect(negative.description.contains("values[1][3] is -1.0"), "\(negative)")
        chart.values[1][3] = .nan
        #expect(throws: DrawingError.self) { try chart.write(to: target) }

        let emptyButShaped = BarChart(title: "t", categories: ["a"], series: ["x"], values: [], valueLabel: "v")
        #expect(throws: DrawingError.self) { try emptyButShaped.write(to: target) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        // A failed write leaves the previous picture in place.
        try exerciseChart().write(to: target)
        let before = try Data(contentsOf: target)
        #expect(throws: DrawingError.self) { try chart.write(to: target) }
        #expect(try Data(contentsOf: target) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["bars.png"])
    }

    @Test func unwritableTargetsNameThePathAndLeaveNothing() throws {
        let folder = try TemporaryFolder()
        try folder.write("blocker", "a file where a folder is needed")
        let blocked = try #require(throws: DrawingError.self) { try exerciseChart().write(to: folder("blocker/bars.png")) }
        #expect(blocked.description.contains(folder("blocker/bars.png").path))
        #expect(blocked.exitCode == 1)

        // A folder at the target: the temporary file is written, then the rename fails and it is removed.
        try FileManager.default.createDirectory(at: folder("taken.png"), withIntermediateDirectories: false)
        let taken = try #require(throws: DrawingError.self) { try exerciseChart().write(to: folder("taken.png")) }
        #expect(taken.description.contains(folder("taken.png").path))
        let histogram = try #require(throws: DrawingError.self) {
            try Histogram(title: "d", values: [1, 2, 3], valueLabel: "s").write(to: folder("taken.png"))
        }
        #expect(histogram.description.contains(folder("taken.png").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["blocker", "taken.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("taken.png").path).isEmpty)

        // Cairo refuses images over 32767 pixels a side: its reason is passed on.
        var huge = exerciseChart()
        huge.width = 40_000
        let refused = try #require(throws: DrawingError.self) { try huge.write(to: folder("huge.png")) }
        #expect(refused.description.contains("invalid value"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: folder("huge.png").path))
    }

    // MARK: - Axis ticks

    @Test func axesHaveFourToSixRoundTicks() {
        var maxima: [Double] = [0.003, 0.7, 1, 1.5, 3, 7, 9.99, 10, 11, 21, 26, 51, 93, 99, 101, 240, 999, 1001, 12_345, 3e6]
        maxima += (1...400).map { Double($0) * 0.37 }
        for high in maxima {
            let scale = AxisScale.nice(0, high)
            #expect((4...6).contains(scale.ticks.count), "0...\(high): \(scale.ticks)")
            #expect([1, 2, 5].contains(scale.mantissa))
            #expect(scale.lower == 0 && scale.upper >= high)
            let step = scale.ticks[1] - scale.ticks[0]
            #expect(scale.upper - step < high, "0...\(high): no spare tick at the top")
        }
        #expect(AxisScale.nice(0, 93).ticks == [0, 20, 40, 60, 80, 100])
        #expect(AxisScale.nice(0, 7).ticks == [0, 2, 4, 6, 8])
        #expect(AxisScale.nice(0, 0.7).ticks.map(AxisScale.nice(0, 0.7).label) == ["0", "0.2", "0.4", "0.6", "0.8"])
        #expect(AxisScale.nice(0, 0.3).ticks.last == 0.3)
        #expect(AxisScale.nice(0, 12_345).ticks.map(AxisScale.nice(0, 12_345).label) == ["0", "5k", "10k", "15k"])
        #expect(AxisScale.nice(0, 3e6).label(3e6) == "3M")
        // Counts never get fractional ticks; nothing to show still gives an axis.
        #expect(AxisScale.nice(0, 1, integral: true).ticks == [0, 1])
        #expect(AxisScale.nice(0, 3, integral: true).ticks == [0, 1, 2, 3])
        #expect(AxisScale.nice(0, 0.01, integral: true).ticks == [0, 1])
        #expect(AxisScale.nice(0, 0).ticks.count >= 4)
        #expect(AxisScale.nice(.nan, .infinity).ticks.count >= 2)
        // Ranges away from zero: round ends around the data.
        let durations = AxisScale.nice(3.2, 47.8)
        #expect(durations.ticks == [0, 10, 20, 30, 40, 50])
        #expect(AxisScale.nice(29.5, 30.5).ticks == [29.5, 30, 30.5])
        #expect(AxisScale.nice(-3, 8).ticks.first! <= -3 && AxisScale.nice(-3, 8).label(0) == "0")
    }

    // MARK: - Histogram

    @Test func binCountsCoverEveryValue() {
        let values = (0..<137).map { Double(($0 * 7919) % 211) / 3 + 2 }
        var histogram = Histogram(title: "durations", values: values, valueLabel: "duration (s)")
        let (edges, counts) = histogram.binCounts()
        #expect(edges.count == 21 && counts.count == 20)
        #expect(counts.reduce(0, +) == values.count)
        #expect(edges.first == values.min() && edges.last == values.max())
        let width = (edges.last! - edges.first!) / 20
        for index in 1..<edges.count {
            #expect(abs(edges[index] - edges[index - 1] - width) < 1e-9)
        }
        // Recount by hand: left-closed bins, the last one closed on the right too.
        for bin in 0..<20 {
            let inside = values.filter { $0 >= edges[bin] && ($0 < edges[bin + 1] || (bin == 19 && $0 == edges[20])) }
            #expect(inside.count == counts[bin], "bin \(bin)")
        }

        histogram.values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        histogram.bins = 5
        let (tens, tenCounts) = histogram.binCounts()
        #expect(tens == [0, 2, 4, 6, 8, 10])
        #expect(tenCounts == [2, 2, 2, 2, 3], "values on an edge go right; the maximum lands in the last bin")

        histogram.values = [0.1, 0.2, 0.3, 0.7]
        histogram.bins = 3
        #expect(histogram.binCounts().counts.last == 1)
        histogram.bins = 0
        #expect(histogram.binCounts().counts == [4], "fewer than one bin counts as one")
    }

    @Test func binCountsOfEqualEmptyAndOddValues() {
        var histogram = Histogram(title: "t", values: Array(repeating: 30, count: 9), valueLabel: "s")
        let (edges, counts) = histogram.binCounts()
        #expect(edges.count == 21 && edges.first! < 30 && edges.last! > 30)
        #expect(counts.filter { $0 > 0 } == [9], "one non-empty bin")
        #expect(counts.reduce(0, +) == 9)
        let bin = counts.firstIndex(of: 9)!
        #expect(edges[bin] <= 30 && 30 < edges[bin + 1])

        histogram.values = [1e300, 1e300]
        #expect(histogram.binCounts().counts.reduce(0, +) == 2)

        histogram.values = []
        let (emptyEdges, emptyCounts) = histogram.binCounts()
        #expect(emptyEdges.count == 21 && emptyEdges.first == 0 && emptyEdges.last == 1)
        #expect(emptyCounts == Array(repeating: 0, count: 20))

        histogram.values = [.nan, 5, .infinity, 7, -.infinity]
        histogram.bins = 2
        let (finiteEdges, finiteCounts) = histogram.binCounts()
        #expect(finiteEdges == [5, 6, 7] && finiteCounts == [1, 1], "non-finite values are not counted")

        histogram.values = [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude]
        #expect(histogram.binCounts().counts == [1, 1])
    }

    @Test func histogramBarsFollowTheCounts() throws {
        let folder = try TemporaryFolder()
        // 40 values from 0 to 9.5 in bins 0.95 wide, most near 0.5, 5.5 and 9.5.
        var values = Array(repeating: 0.5, count: 15) + Array(repeating: 5.5, count: 10)
        values += Array(repeating: 9.5, count: 5) + (0..<10).map { Double($0) }
        var histogram = Histogram(title: "duration distribution", values: values, valueLabel: "duration (s)")
        histogram.bins = 10
        histogram.width = 600
        histogram.height = 400
        try histogram.write(to: folder("hist.png"))
        #expect(try PNGProbe.size(of: folder("hist.png")) == (600, 400))
        let layout = try histogram.layout()
        #expect(layout.counts == [16, 1, 1, 1, 1, 11, 1, 1, 1, 6])
        #expect(layout.bars[0].height > layout.bars[5].height && layout.bars[5].height > layout.bars[9].height)
        #expect(layout.bars.allSatisfy { $0.maxY == layout.plot.maxY })
        for (left, right) in zip(layout.bars, layout.bars.dropFirst()) {
            #expect(left.maxX <= right.x, "bars do not overlap")
        }
        let picture = try Picture(folder("hist.png"))
        let blue = Bytes(Histogram.barColor)
        for bar in layout.bars {
            #expect(picture.center(bar) == blue)
            #expect(picture.run(of: blue, x: bar.midX) == Int(bar.height))
        }
        #expect(layout.countScale.ticks == [0, 5, 10, 15, 20])
        #expect(layout.valueScale.ticks.first! <= 0 && layout.valueScale.ticks.last! >= 9.5)
        #expect(picture[0, 0] == .white)
    }

    @Test func emptyHistogramStillGivesAPicture() throws {
        let folder = try TemporaryFolder()
        let histogram = Histogram(title: "duration distribution", values: [], valueLabel: "duration (s)")
        try histogram.write(to: folder("hist.png"))
        #expect(try PNGProbe.size(of: folder("hist.png")) == (800, 450))
        let plot = try histogram.layout().plot
        let note = ChartRect(x: plot.midX - 40, y: plot.midY - 15, width: 80, height: 25)
        #expect(try Picture(folder("hist.png")).dark(note) > 20, "a \"no data\" note in the middle")

        let nothingFinite = Histogram(title: "t", values: [.nan], valueLabel: "s")
        try nothingFinite.write(to: folder("nan.png"))
        #expect(try PNGProbe.size(of: folder("nan.png")) == (800, 450))
    }

    /// Renders one chart of each kind; set BIOMECH_CHART_SAMPLES to a folder to keep them for a look.
    @Test func samples() throws {
        let folder = try TemporaryFolder()
        let exercises = ["squat", "push-up", "deadlift", "lunge", "plank", "bench press", "overhead press",
                         "pull-up", "romanian deadlift", "bulgarian split squat", "hip thrust", "burpee"]
        let values = exercises.indices.map { row in
            Self.qualities.indices.map { column in Double((row * 37 + column * 53 + row * column * 11) % 41) }
        }
        let bars = BarChart(title: "Exercise by quality", categories: exercises, series: Self.qualities,
                            values: values, valueLabel: "videos")
        try bars.write(to: folder("chart-bar.png"))
        // Durations: a skewed spread of typical clip lengths.
        let durations = (0..<400).map { index -> Double in
            let u = Double((index * 7919) % 997) / 997
            return 4 + 70 * u * u + Double(index % 13)
        }
        let histogram = Histogram(title: "Duration distribution", values: durations, valueLabel: "duration (s)")
        try histogram.write(to: folder("chart-hist.png"))
        let emptyBars = BarChart(title: "Exercise by quality", categories: [], series: Self.qualities, values: [], valueLabel: "videos")
        try emptyBars.write(to: folder("chart-bar-empty.png"))
        let emptyHistogram = Histogram(title: "Duration distribution", values: [], valueLabel: "duration (s)")
        try emptyHistogram.write(to: folder("chart-hist-empty.png"))
        let names = ["chart-bar.png", "chart-hist.png", "chart-bar-empty.png", "chart-hist-empty.png"]
        for name in names {
            #expect(try PNGProbe.size(of: folder(name)) == (800, 450))
        }
        // What each picture shows, not only its size: every drawn bar segment in its series colour,
        // every histogram bar filled, and a note in the middle of each empty chart.
        let barPicture = try Picture(folder("chart-bar.png"))
        var segments = 0
        for bar in try bars.layout().bars {
            for (column, segment) in bar.enumerated() where segment.height >= 3 {
                #expect(barPicture.center(segment) == Bytes(ChartStyle.palette[column]), "segment \(column) at \(segment)")
                segments += 1
            }
        }
        #expect(segments >= exercises.count, "every exercise has at least one visible segment")
        let histogramPicture = try Picture(folder("chart-hist.png"))
        let filled = try histogram.layout().bars.filter { $0.height >= 3 }
        #expect(filled.count >= 5)
        for bar in filled { #expect(histogramPicture.center(bar) != .white, "histogram bar at \(bar) is filled") }
        for (name, plot) in [("chart-bar-empty.png", try emptyBars.layout().plot), ("chart-hist-empty.png", try emptyHistogram.layout().plot)] {
            let note = ChartRect(x: plot.midX - 40, y: plot.midY - 15, width: 80, height: 25)
            #expect(try Picture(folder(name)).dark(note) > 20, "\(name): a \"no data\" note in the middle")
        }
        if let keep = ProcessInfo.processInfo.environment["BIOMECH_CHART_SAMPLES"] {
            for name in names {
                let target = URL(fileURLWithPath: keep).appendingPathComponent(name)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: folder(name), to: target)
            }
        }
    }
}
