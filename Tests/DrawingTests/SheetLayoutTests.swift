@testable import Drawing
import Testing

@Suite struct SheetLayoutTests {
    @Test func framesArePickedEvenlyIncludingFirstAndLast() {
        let layout = SheetLayout(ContactSheet(edges: []))
        #expect(layout.pickFrames(count: 10) == [0, 2, 4, 5, 7, 9])
        #expect(layout.pickFrames(count: 100).first == 0)
        #expect(layout.pickFrames(count: 100).last == 99)
        #expect(layout.pickFrames(count: 3) == [0, 1, 2])
        #expect(layout.pickFrames(count: 0) == [])
        var single = ContactSheet(edges: [])
        single.framesPerRow = 1
        #expect(SheetLayout(single).pickFrames(count: 5) == [0])
    }

    @Test func pointsKeepTheirAspectRatioInsideTheCell() {
        var sheet = ContactSheet(edges: [])
        sheet.cellWidth = 300
        sheet.cellHeight = 120
        let layout = SheetLayout(sheet)
        let origin = layout.place(Point2(x: 0, y: 0), row: 1, column: 2)
        let right = layout.place(Point2(x: 1, y: 0), row: 1, column: 2)
        let down = layout.place(Point2(x: 0, y: 1), row: 1, column: 2)
        #expect(right.x - origin.x == down.y - origin.y)
        #expect(right.y == origin.y && down.x == origin.x)
        let centre = layout.place(Point2(x: 0.5, y: 0.5), row: 1, column: 2)
        #expect(centre.x == 2.5 * 300)
        let cell = layout.cellOrigin(row: 1, column: 2)
        #expect(origin.y >= cell.y && down.y <= cell.y + 120)
    }

    @Test func sizeCountsTitleRowsAndClampsNonsense() {
        var sheet = ContactSheet(edges: [])
        #expect(sheet.size(rows: 2) == (960, 2 * (22 + 200)))
        sheet.title = "t"
        #expect(sheet.size(rows: 0) == (960, 36))
        sheet.framesPerRow = 0
        sheet.cellWidth = -5
        sheet.title = nil
        #expect(sheet.size(rows: 0) == (1, 1))
    }
}
