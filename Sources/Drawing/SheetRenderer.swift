/// Draws a contact sheet's title, rows, grid and stick figures onto a canvas.
struct SheetRenderer {
    let layout: SheetLayout
    let edges: [(Int, Int)]
    let title: String?

    static let boneWidth = 2.0
    static let jointRadius = 2.5
    static let gridColor = RGB(0.85, 0.85, 0.85)
    static let textColor = RGB(0.1, 0.1, 0.1)
    static let noteColor = RGB(0.55, 0.55, 0.55)

    func draw(_ rows: [StickFigureRow], on canvas: CairoCanvas) {
        if let title {
            canvas.setColor(Self.textColor)
            canvas.text(title, at: Point2(x: 8, y: 24), size: 16, bold: true)
        }
        for (index, row) in rows.enumerated() {
            drawGrid(row: index, on: canvas)
            canvas.setColor(Self.textColor)
            canvas.text(row.label, at: Point2(x: 6, y: layout.rowTop(index) + Double(SheetLayout.labelHeight) - 6), size: 12)
            let picked = layout.pickFrames(count: row.frames.count)
            if picked.isEmpty {
                canvas.setColor(Self.noteColor)
                let origin = layout.cellOrigin(row: index, column: 0)
                canvas.text("no frames", at: Point2(x: origin.x + 8, y: origin.y + 20), size: 11, italic: true)
            }
            for (column, frame) in picked.enumerated() {
                drawFrame(row, frame: frame, at: (index, column), on: canvas)
            }
        }
    }

    /// A line above the row (between rows) and lines between its cells.
    private func drawGrid(row: Int, on canvas: CairoCanvas) {
        canvas.setColor(Self.gridColor)
        let top = layout.rowTop(row)
        let cellsTop = layout.cellOrigin(row: row, column: 0).y
        // Half-pixel offsets put a 1-px line on one pixel row instead of blurring it over two.
        if top > 0 {
            canvas.line(from: Point2(x: 0, y: top + 0.5), to: Point2(x: Double(layout.width), y: top + 0.5), width: 1)
        }
        for column in 1..<max(1, layout.columns) {
            let x = Double(column * layout.cellWidth) + 0.5
            canvas.line(from: Point2(x: x, y: cellsTop), to: Point2(x: x, y: cellsTop + Double(layout.cellHeight)), width: 1)
        }
    }

    /// One frame in its cell: bones, then joints on top, then the frame's index in the sequence.
    private func drawFrame(_ row: StickFigureRow, frame: Int, at cell: (row: Int, column: Int), on canvas: CairoCanvas) {
        let points = row.frames[frame].map { point in
            point.flatMap { $0.isFinite ? layout.place($0, row: cell.row, column: cell.column) : nil }
        }
        let origin = layout.cellOrigin(row: cell.row, column: cell.column)
        // Points outside [0, 1] are drawn but must not spill into the neighbouring cells.
        canvas.clipped(x: origin.x, y: origin.y, width: Double(layout.cellWidth), height: Double(layout.cellHeight)) {
            for (a, b) in edges {
                guard points.indices.contains(a), points.indices.contains(b), let start = points[a], let end = points[b] else { continue }
                canvas.line(from: start, to: end, width: Self.boneWidth, colors: row.color(of: a), row.color(of: b))
            }
            for (index, point) in points.enumerated() {
                guard let point else { continue }
                canvas.setColor(row.color(of: index))
                canvas.dot(at: point, radius: Self.jointRadius)
            }
            canvas.setColor(Self.noteColor)
            canvas.text("#\(frame)", at: Point2(x: origin.x + 4, y: origin.y + Double(layout.cellHeight) - 4), size: 9)
        }
    }
}
