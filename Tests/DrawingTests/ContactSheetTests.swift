import BiomechCore
@testable import Drawing
import Foundation
import Testing
import TestSupport

@Suite struct ContactSheetTests {
    private func twoRows() -> [StickFigureRow] {
        [StickFigureRow(label: "simple · seed 1", frames: Array(repeating: Figures.simple, count: 8)),
         StickFigureRow(label: "simple · seed 2 #17", frames: Array(repeating: Figures.simple, count: 3))]
    }

    @Test func writesAPNGOfTheAnnouncedSize() throws {
        let folder = try TemporaryFolder()
        var sheet = ContactSheet(edges: Figures.simpleEdges)
        sheet.title = "simple figures"
        try sheet.write(twoRows(), to: folder("sheet.png"))
        let bytes = [UInt8](try Data(contentsOf: folder("sheet.png")))
        #expect(Array(bytes.prefix(8)) == PNGProbe.signature)
        let size = try PNGProbe.size(of: folder("sheet.png"))
        #expect(size == sheet.size(rows: 2))
        #expect(size.width == 6 * 160)
        #expect(ContactSheet(edges: []).size(rows: 2).height < size.height, "the title takes a band of its own")
    }

    @Test func bonesAndJointsArePaintedOnWhite() throws {
        let folder = try TemporaryFolder()
        let sheet = ContactSheet(edges: Figures.simpleEdges)
        let layout = SheetLayout(sheet)
        let rows = twoRows()
        try sheet.write(rows, to: folder("sheet.png"))
        let (width, height) = sheet.size(rows: rows.count)
        let spineMiddle = Point2(x: 0.5, y: 0.35)
        try PNGProbe.expect(folder("sheet.png"), [
            (.dark, layout.place(spineMiddle, row: 0, column: 0).x, layout.place(spineMiddle, row: 0, column: 0).y),
            (.dark, layout.place(spineMiddle, row: 0, column: 5).x, layout.place(spineMiddle, row: 0, column: 5).y),
            (.dark, layout.place(spineMiddle, row: 1, column: 2).x, layout.place(spineMiddle, row: 1, column: 2).y),
            (.dark, layout.place(Figures.simple[4]!, row: 1, column: 0).x, layout.place(Figures.simple[4]!, row: 1, column: 0).y),
            (.white, 0, 0),
            (.white, Double(width - 1), Double(height - 1)),
            (.white, layout.place(Point2(x: 0.9, y: 0.1), row: 0, column: 0).x, layout.place(Point2(x: 0.9, y: 0.1), row: 0, column: 0).y),
            // The second row has three frames, so its fourth cell stays empty.
            (.white, layout.place(spineMiddle, row: 1, column: 3).x, layout.place(spineMiddle, row: 1, column: 3).y),
        ])
    }

    @Test func jointsTakeTheirRowsColours() throws {
        let folder = try TemporaryFolder()
        let sheet = ContactSheet(edges: Figures.simpleEdges)
        // Fewer colours than landmarks: the rest fall back to the default ink.
        let row = StickFigureRow(label: "risky head", frames: [Figures.simple], colors: [RGB(0.9, 0.1, 0.1)])
        try sheet.write([row], to: folder("sheet.png"))
        let head = SheetLayout(sheet).place(Figures.simple[0]!, row: 0, column: 0)
        let foot = SheetLayout(sheet).place(Figures.simple[3]!, row: 0, column: 0)
        try PNGProbe.expect(folder("sheet.png"), [(.red, head.x, head.y), (.dark, foot.x, foot.y)])
    }

    @Test func missingPointsAndEmptyFramesAreDrawnAround() throws {
        let folder = try TemporaryFolder()
        var hipless = Figures.simple
        hipless[1] = nil
        var odd = Figures.simple
        odd[2] = Point2(x: .nan, y: 0.3)
        odd[3] = Point2(x: -3, y: 7)  // far outside the frame: clipped to its cell
        var sheet = ContactSheet(edges: Figures.simpleEdges + [(0, 99), (-1, 2)])
        sheet.framesPerRow = 3
        let rows = [
            StickFigureRow(label: "no hip", frames: [hipless, [], Array(repeating: nil, count: 5)]),
            StickFigureRow(label: "no frames", frames: []),
            StickFigureRow(label: "odd points", frames: [odd], colors: []),
            StickFigureRow(label: "", frames: [[nil]]),
        ]
        try sheet.write(rows, to: folder("sheet.png"))
        #expect(try PNGProbe.size(of: folder("sheet.png")) == sheet.size(rows: 4))
        let layout = SheetLayout(sheet)
        let spineMiddle = layout.place(Point2(x: 0.5, y: 0.35), row: 0, column: 0)
        let head = layout.place(Figures.simple[0]!, row: 0, column: 0)
        try PNGProbe.expect(folder("sheet.png"), [(.white, spineMiddle.x, spineMiddle.y), (.dark, head.x, head.y)])
    }

    @Test func missingFoldersAreCreated() throws {
        let folder = try TemporaryFolder()
        let target = folder("reports/today/sheet.png")
        try ContactSheet(edges: Figures.simpleEdges).write(twoRows(), to: target)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("reports/today").path) == ["sheet.png"])
        #expect(try PNGProbe.size(of: target).width == 960)
    }

    @Test func failedRenderLeavesThePreviousSheet() throws {
        let folder = try TemporaryFolder()
        let target = folder("sheet.png")
        let sheet = ContactSheet(edges: Figures.simpleEdges)
        try sheet.write(twoRows(), to: target)
        let before = try Data(contentsOf: target)
        // 200 rows are taller than the 32767 pixels cairo allows.
        let tooMany = Array(repeating: twoRows()[0], count: 200)
        #expect(sheet.size(rows: 200).height > 32767)
        let error = try #require(throws: DrawingError.self) { try sheet.write(tooMany, to: target) }
        #expect(error.description.contains(target.path))
        #expect(error.description.contains("invalid value"), "cairo's status string: \(error)")
        #expect(error.exitCode == 1)
        #expect(try Data(contentsOf: target) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["sheet.png"])
    }

    @Test func unwritableTargetsNameThePathAndLeaveNothing() throws {
        let folder = try TemporaryFolder()
        try folder.write("blocker", "a file where a folder is needed")
        let sheet = ContactSheet(edges: Figures.simpleEdges)
        let blocked = try #require(throws: DrawingError.self) { try sheet.write(twoRows(), to: folder("blocker/sheet.png")) }
        #expect(blocked.description.contains(folder("blocker/sheet.png").path))

        // A folder at the target: cairo writes the temporary file, then the rename fails.
        try FileManager.default.createDirectory(at: folder("taken.png"), withIntermediateDirectories: false)
        let taken = try #require(throws: DrawingError.self) { try sheet.write(twoRows(), to: folder("taken.png")) }
        #expect(taken.description.contains(folder("taken.png").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["blocker", "taken.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("taken.png").path).isEmpty)
    }

    /// Renders a squat sheet; set BIOMECH_DRAWING_SAMPLE to a path to keep it for a look.
    @Test func squatSample() throws {
        let folder = try TemporaryFolder()
        var sheet = ContactSheet(edges: Figures.squatEdges)
        sheet.title = "squat · contact sheet sample"
        let squat = Figures.squat(frames: 24)
        var risk = Array(repeating: RGB.ink, count: 8)
        risk[5] = RGB(0.85, 0.1, 0.1)  // knee
        risk[4] = RGB(0.95, 0.6, 0.1)  // hip
        let patchy = squat.enumerated().map { index, frame in index % 2 == 1 ? frame.enumerated().map { $0.offset == 3 ? nil : $0.element } : frame }
        let rows = [
            StickFigureRow(label: "squat · good · seed 42 #3", frames: squat),
            StickFigureRow(label: "squat · poor · seed 42 #17", frames: squat, colors: risk),
            StickFigureRow(label: "squat · wrist missing in some frames", frames: patchy),
            StickFigureRow(label: "squat · four frames", frames: Array(squat.prefix(12).enumerated().filter { $0.offset % 3 == 0 }.map(\.element))),
        ]
        let target = folder("squat.png")
        try sheet.write(rows, to: target)
        #expect(try PNGProbe.size(of: target) == sheet.size(rows: rows.count))
        if let keep = ProcessInfo.processInfo.environment["BIOMECH_DRAWING_SAMPLE"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: target, to: URL(fileURLWithPath: keep))
        }
    }
}
