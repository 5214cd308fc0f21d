/// Pixel geometry of a contact sheet: where the title, row labels, cells and figure points land.
///
/// Top to bottom: an optional title band, then per row a label line above `columns` cells.
struct SheetLayout {
    static let titleHeight = 36
    static let labelHeight = 22
    /// Space kept around the figure so joints at the frame's edge are not cut off.
    static let padding = 8.0
    /// Space below the figure for the frame index.
    static let indexBand = 12.0

    let columns: Int
    let cellWidth: Int
    let cellHeight: Int
    let titleHeight: Int

    /// Values below 1 count as 1, so any sheet has a drawable size.
    init(_ sheet: ContactSheet) {
        columns = max(1, sheet.framesPerRow)
        cellWidth = max(1, sheet.cellWidth)
        cellHeight = max(1, sheet.cellHeight)
        titleHeight = sheet.title == nil ? 0 : Self.titleHeight
    }

    var width: Int { columns * cellWidth }
    func height(rows: Int) -> Int { max(1, titleHeight + max(0, rows) * (Self.labelHeight + cellHeight)) }

    /// The top of row `row`'s label line.
    func rowTop(_ row: Int) -> Double { Double(titleHeight + row * (Self.labelHeight + cellHeight)) }

    /// The top-left corner of a cell, just below its row's label line.
    func cellOrigin(row: Int, column: Int) -> Point2 {
        Point2(x: Double(column * cellWidth), y: rowTop(row) + Double(Self.labelHeight))
    }

    /// The pixel where a normalized frame point lands in a cell.
    ///
    /// The frame is taken as a square image, so both axes share one scale (a squat must not look squashed);
    /// the square is centred in the cell's drawable area.
    func place(_ point: Point2, row: Int, column: Int) -> Point2 {
        let origin = cellOrigin(row: row, column: column)
        let areaWidth = Double(cellWidth) - 2 * Self.padding
        let areaHeight = Double(cellHeight) - 2 * Self.padding - Self.indexBand
        let side = max(0, min(areaWidth, areaHeight))
        let left = origin.x + Self.padding + (areaWidth - side) / 2
        let top = origin.y + Self.padding + (areaHeight - side) / 2
        return Point2(x: left + point.x * side, y: top + point.y * side)
    }

    /// Indices of up to `columns` frames spread evenly over `count`, always the first and the last.
    func pickFrames(count: Int) -> [Int] {
        guard count > columns else { return Array(0..<max(0, count)) }
        guard columns > 1 else { return [0] }
        return (0..<columns).map { Int((Double($0) * Double(count - 1) / Double(columns - 1)).rounded()) }
    }
}
