import BiomechCore
import Foundation

/// Colours, type sizes and spacing shared by the charts, so they look like one family.
enum ChartStyle {
    /// The Okabe-Ito palette (distinguishable with the common colour-vision deficiencies), reordered so the
    /// first four read as a scale from good to bad: bluish green, sky blue, orange, vermillion; then blue,
    /// reddish purple, yellow and grey. Series take these in order and wrap around after the eighth.
    static let palette: [RGB] = [
        hex(0x009E73), hex(0x56B4E9), hex(0xE69F00), hex(0xD55E00),
        hex(0x0072B2), hex(0xCC79A7), hex(0xF0E442), hex(0x999999),
    ]

    static let textColor = RGB(0.13, 0.13, 0.13)
    static let axisColor = RGB(0.35, 0.35, 0.35)
    static let gridColor = RGB(0.88, 0.88, 0.88)
    static let noteColor = RGB(0.5, 0.5, 0.5)

    static let titleSize = 16.0
    static let labelSize = 12.0
    static let tickSize = 11.0
    /// Space between the image edge and anything drawn.
    static let margin = 14.0
    /// Baseline of the title, from the top.
    static let titleBaseline = 28.0

    /// A colour from a 0xRRGGBB literal; exact in 8-bit output, so tests can compare pixels.
    static func hex(_ value: UInt32) -> RGB {
        RGB(Double(value >> 16 & 0xFF) / 255, Double(value >> 8 & 0xFF) / 255, Double(value & 0xFF) / 255)
    }

    /// The colour of series `index`, wrapping around the palette.
    static func color(_ index: Int) -> RGB { palette[((index % palette.count) + palette.count) % palette.count] }
}

/// An axis-aligned rectangle in pixels, y down.
struct ChartRect: Equatable {
    var x, y, width, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
}

/// A linear axis over `lower...upper` with round tick values (1, 2 or 5 times a power of ten apart).
struct AxisScale: Equatable {
    let lower: Double
    let upper: Double
    let ticks: [Double]
    /// Ticks are `mantissa` × 10^`exponent` apart; also decides how many decimals the labels need.
    let mantissa: Int
    let exponent: Int

    /// The smallest round step giving at most six ticks, with the range widened to whole steps at both ends.
    ///
    /// From zero this always gives four to six ticks; elsewhere it can give three when no 1-2-5 step fits.
    /// `integral` axes (counts) never step below 1, so small counts get fewer ticks (0, 1, 2) rather than
    /// fractions. An empty or inverted range, or a non-finite end, becomes a unit range.
    static func nice(_ low: Double, _ high: Double, integral: Bool = false) -> AxisScale {
        var low = low.isFinite ? low : 0, high = high.isFinite ? high : low + 1
        if high < low { swap(&low, &high) }
        if high == low {
            if low == 0 { high = 1 } else { low -= abs(low) * 0.5; high += abs(high) * 0.5 }
        }
        let span = (high - low).isFinite ? high - low : Double.greatestFiniteMagnitude
        // A double spans at most about 630 decades, so the exponent fits comfortably.
        let top = Int((log10(span)).rounded(.up))
        let lowest = integral ? max(0, top - 2) : top - 2
        var choice: (mantissa: Int, exponent: Int, first: Double, last: Double)?
        search: for exponent in lowest...max(lowest + 1, top + 1) {
            for mantissa in [1, 2, 5] {
                let step = Self.step(mantissa, exponent)
                // A hair of slack so 0.30000000000000004 counts as the third tick, not past it.
                let first = (low / step + 1e-9).rounded(.down), last = (high / step - 1e-9).rounded(.up)
                choice = (mantissa, exponent, first, last)
                if last - first <= 5 { break search }
            }
        }
        let (mantissa, exponent, first, last) = choice!
        let ticks = stride(from: first, through: last, by: 1).map { value(units: $0, mantissa, exponent) }
        return AxisScale(lower: ticks.first!, upper: ticks.last!, ticks: ticks, mantissa: mantissa, exponent: exponent)
    }

    private static func step(_ mantissa: Int, _ exponent: Int) -> Double { value(units: 1, mantissa, exponent) }

    /// `units` × `mantissa` × 10^`exponent`, dividing by an exact power of ten so 0.3 comes out as 0.3.
    private static func value(units: Double, _ mantissa: Int, _ exponent: Int) -> Double {
        let whole = units * Double(mantissa)
        return exponent >= 0 ? whole * pow(10, Double(exponent)) : whole / pow(10, Double(-exponent))
    }

    /// Where `value` lands between `start` (for `lower`) and `end` (for `upper`); works for either direction.
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        guard upper > lower else { return start }
        return start + (value - lower) / (upper - lower) * (end - start)
    }

    /// A tick label: as many decimals as the step needs (zero is plain "0"), thousands as "k" and millions as "M".
    func label(_ value: Double) -> String {
        let (divisor, suffix, exponent): (Double, String, Int) =
            self.exponent >= 6 ? (1e6, "M", self.exponent - 6) :
            self.exponent >= 3 ? (1e3, "k", self.exponent - 3) : (1, "", self.exponent)
        guard value != 0 else { return "0" }
        return String(format: "%.\(max(0, -exponent))f", value / divisor) + suffix
    }
}

/// A data problem found before drawing; the chart turns it into a `DrawingError` naming the file.
struct ChartDataError: Error {
    var message: String
}

/// Drawing pieces shared by the charts: title, legend, value axis, notes and the atomic PNG write.
enum ChartParts {
    /// The title at the top left, and an optional grey note at the top right (e.g. the sample size).
    static func drawTitle(_ title: String, note: String? = nil, width: Double, on canvas: CairoCanvas) {
        let available = width - 2 * ChartStyle.margin
        var noteWidth = 0.0
        if let note, !note.isEmpty {
            noteWidth = canvas.textWidth(note, size: ChartStyle.labelSize)
            canvas.setColor(ChartStyle.noteColor)
            canvas.text(note, at: Point2(x: width - ChartStyle.margin - noteWidth, y: ChartStyle.titleBaseline), size: ChartStyle.labelSize)
        }
        let shown = fit(title, width: available - (noteWidth > 0 ? noteWidth + 16 : 0), size: ChartStyle.titleSize, bold: true, on: canvas)
        canvas.setColor(ChartStyle.textColor)
        canvas.text(shown, at: Point2(x: ChartStyle.margin, y: ChartStyle.titleBaseline), size: ChartStyle.titleSize, bold: true)
    }

    /// Legend geometry: one swatch and label per entry, left to right, wrapping onto more lines.
    struct LegendItem: Equatable {
        var swatch: ChartRect
        var text: String
        var baseline: Point2
    }

    static let swatchSize = 12.0
    static let legendLineHeight = 20.0

    /// Lays out legend entries in lines starting at `top`; returns the items and the bottom of the last line.
    static func legend(_ entries: [String], top: Double, width: Double, on canvas: CairoCanvas) -> (items: [LegendItem], bottom: Double) {
        guard !entries.isEmpty else { return ([], top) }
        let left = ChartStyle.margin, right = width - ChartStyle.margin
        let maxText = max(20, right - left - swatchSize - 6)
        var items: [LegendItem] = []
        var x = left, line = 0.0
        for entry in entries {
            let text = fit(entry, width: maxText, size: ChartStyle.labelSize, on: canvas)
            let itemWidth = swatchSize + 6 + canvas.textWidth(text, size: ChartStyle.labelSize)
            if x > left && x + itemWidth > right {
                x = left
                line += 1
            }
            let lineTop = top + line * legendLineHeight
            items.append(LegendItem(swatch: ChartRect(x: x, y: lineTop + 3, width: swatchSize, height: swatchSize),
                                    text: text, baseline: Point2(x: x + swatchSize + 6, y: lineTop + 14)))
            x += itemWidth + 18
        }
        return (items, top + (line + 1) * legendLineHeight)
    }

    static func drawLegend(_ items: [LegendItem], colors: (Int) -> RGB, on canvas: CairoCanvas) {
        for (index, item) in items.enumerated() {
            canvas.setColor(colors(index))
            canvas.fillRectangle(x: item.swatch.x, y: item.swatch.y, width: item.swatch.width, height: item.swatch.height)
            canvas.setColor(ChartStyle.textColor)
            canvas.text(item.text, at: item.baseline, size: ChartStyle.labelSize)
        }
    }

    /// The widest tick label of a value axis, for sizing the margin beside it.
    static func tickLabelWidth(_ scale: AxisScale, on canvas: CairoCanvas) -> Double {
        scale.ticks.map { canvas.textWidth(scale.label($0), size: ChartStyle.tickSize) }.max() ?? 0
    }

    /// A vertical value axis: light grid lines across the plot at each tick, labels right-aligned to the
    /// left of it, a darker baseline at the bottom and the axis title turned upright along the left edge.
    static func drawValueAxis(_ scale: AxisScale, title: String, plot: ChartRect, on canvas: CairoCanvas) {
        for tick in scale.ticks {
            let y = crisp(scale.position(tick, from: plot.maxY, to: plot.y))
            canvas.setColor(ChartStyle.gridColor)
            canvas.line(from: Point2(x: plot.x, y: y), to: Point2(x: plot.maxX, y: y), width: 1)
            let label = scale.label(tick)
            canvas.setColor(ChartStyle.axisColor)
            canvas.text(label, at: Point2(x: plot.x - 6 - canvas.textWidth(label, size: ChartStyle.tickSize), y: y + 4), size: ChartStyle.tickSize)
        }
        canvas.setColor(ChartStyle.axisColor)
        canvas.line(from: Point2(x: plot.x, y: crisp(plot.maxY)), to: Point2(x: plot.maxX, y: crisp(plot.maxY)), width: 1)
        let shown = fit(title, width: plot.height, size: ChartStyle.labelSize, on: canvas)
        let titleWidth = canvas.textWidth(shown, size: ChartStyle.labelSize)
        canvas.setColor(ChartStyle.textColor)
        canvas.text(shown, at: Point2(x: ChartStyle.margin + ChartStyle.labelSize, y: plot.midY + titleWidth / 2),
                    size: ChartStyle.labelSize, angle: -Double.pi / 2)
    }

    /// A grey "no data" note in the middle of the plot.
    static func drawNoData(in plot: ChartRect, on canvas: CairoCanvas) {
        let note = "no data"
        canvas.setColor(ChartStyle.noteColor)
        canvas.text(note, at: Point2(x: plot.midX - canvas.textWidth(note, size: 14) / 2, y: plot.midY + 5), size: 14)
    }

    /// `text`, shortened with an ellipsis when wider than `width` (at least the ellipsis is kept).
    static func fit(_ text: String, width: Double, size: Double, bold: Bool = false, on canvas: CairoCanvas) -> String {
        guard canvas.textWidth(text, size: size, bold: bold) > width else { return text }
        var characters = Array(text)
        while !characters.isEmpty {
            characters.removeLast()
            let candidate = String(characters).trimmingCharacters(in: .whitespaces) + "…"
            if canvas.textWidth(candidate, size: size, bold: bold) <= width { return candidate }
        }
        return "…"
    }

    /// A coordinate moved to a pixel centre, so a 1-px line covers one pixel row instead of blurring over two.
    static func crisp(_ value: Double) -> Double { value.rounded(.down) + 0.5 }

    /// Renders with `render` and writes the PNG atomically (a temporary file beside `url`, then a rename),
    /// creating a missing parent folder. Any failure becomes a `DrawingError` naming `url`; the previous file
    /// is left untouched and no temporary file is left behind.
    static func write(to url: URL, _ render: () throws -> CairoCanvas) throws {
        do {
            let bytes = try render().pngBytes()
            let folder = url.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw DrawingError(path: url.path, reason: "cannot create folder \(folder.path): \(error.localizedDescription)")
            }
            try AtomicFile.write(Data(bytes), to: url)
        } catch let failure as CairoFailure {
            throw DrawingError(path: url.path, reason: "\(failure.operation): \(failure.reason)")
        } catch let problem as ChartDataError {
            throw DrawingError(path: url.path, reason: problem.message)
        } catch let error as DrawingError {
            throw error
        } catch {
            throw DrawingError(path: url.path, reason: "\(error)")
        }
    }
}
