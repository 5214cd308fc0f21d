import BiomechCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PNG contact sheet of stick figures, so a person can see that a generated squat looks like a squat.
///
/// Each row is a labelled sequence shown as up to `framesPerRow` frames picked evenly from it (always the
/// first and the last), left to right. Bones are drawn between the landmarks named by `edges`; a bone with a
/// missing endpoint is skipped, and so is one whose index is out of range.
public struct ContactSheet: Sendable {
    /// Bones to draw, as pairs of landmark indices.
    public var edges: [(Int, Int)]
    /// Pixels per frame cell; values below 1 count as 1.
    public var cellWidth = 160, cellHeight = 200
    /// Frames shown per row; values below 1 count as 1.
    public var framesPerRow = 6
    /// Drawn at the top when set.
    public var title: String?

    public init(edges: [(Int, Int)]) {
        self.edges = edges
    }

    /// The rendered image size in pixels for these rows.
    public func size(rows: Int) -> (width: Int, height: Int) {
        let layout = SheetLayout(self)
        return (layout.width, layout.height(rows: rows))
    }

    /// Renders the rows and writes a PNG atomically, as every chart does (`ChartParts.write`).
    ///
    /// A missing parent folder is created. On any failure this throws a `DrawingError` naming `url`, leaves
    /// whatever was at `url` before untouched and leaves no temporary file behind. Cairo refuses images wider
    /// or taller than 32767 pixels, so very many rows belong on several sheets.
    public func write(_ rows: [StickFigureRow], to url: URL) throws {
        try ChartParts.write(to: url) { try render(rows) }
    }

    /// Draws the whole sheet in memory; nothing touches the disk yet.
    func render(_ rows: [StickFigureRow]) throws -> CairoCanvas {
        let layout = SheetLayout(self)
        let canvas = try CairoCanvas(width: layout.width, height: layout.height(rows: rows.count))
        SheetRenderer(layout: layout, edges: edges, title: title).draw(rows, on: canvas)
        try canvas.check()
        return canvas
    }
}
