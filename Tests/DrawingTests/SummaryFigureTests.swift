import BiomechCore
@testable import Drawing
import Foundation
import Testing
import TestSupport

@Suite struct SummaryFigureTests {
    private static let time = (0..<300).map { Double($0) / 30 }  // 10 s at 30 fps
    private static let reps = [(start: 1.0, end: 4.0, label: "rep 1"), (start: 5.0, end: 8.0, label: "rep 2")]

    /// How deep into a rep the time is, 0 standing to 1 at the bottom.
    private static func depth(_ t: Double) -> Double {
        for rep in reps where t >= rep.start && t < rep.end { return sin(Double.pi * (t - rep.start) / (rep.end - rep.start)) }
        return 0
    }

    /// A 320x180 grey frame with a red joint (risk 90) at (160, 90) and a green one (risk 10) at (160, 30).
    private static let keyFrame = SummaryFigure.KeyFrame(
        pixels: [UInt8](repeating: 128, count: 320 * 180 * 3), width: 320, height: 180,
        skeleton: PoseOverlay.Skeleton(points: [Point2(x: 160, y: 90), Point2(x: 160, y: 30)], risks: [90, 10], edges: [(0, 1)]),
        panel: ["score 78"], caption: "t = 2.5 s")

    private func figure() -> SummaryFigure {
        SummaryFigure(title: "squat · 2 reps · score 78 · risk moderate", time: Self.time,
                      angles: [("left knee", Self.time.map { 170 - 90 * Self.depth($0) }),
                               ("trunk lean", Self.time.map { $0 > 6 && $0 < 6.5 ? nil : 10 + 30 * Self.depth($0) })],
                      reps: Self.reps,
                      risks: [("left knee", Self.time.map { 10 + 40 * Self.depth($0) })],
                      repScores: [("rep 1", 91), ("rep 2", 62.5)], keyFrame: Self.keyFrame)
    }

    @Test func writesAPNGOfTheRequestedSizeAndNothingElse() throws {
        let folder = try TemporaryFolder()
        var summary = figure()
        try summary.write(to: folder("summary.png"))
        #expect(try PNGProbe.size(of: folder("summary.png")) == (1600, 1000))
        summary.width = 1200
        summary.height = 750
        try summary.write(to: folder("report/small.png"))
        #expect(try PNGProbe.size(of: folder("report/small.png")) == (1200, 750))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["report", "summary.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("report").path) == ["small.png"])
    }

    @Test func thePartsAreWhereTheLayoutPutsThem() throws {
        let folder = try TemporaryFolder()
        let summary = figure()
        try summary.write(to: folder("summary.png"))
        let image = try CairoCanvas.readPNG(folder("summary.png").path)
        func pixel(_ x: Double, _ y: Double) -> (r: Int, g: Int, b: Int) {
            let p = image.rgb(x: Int(x), y: Int(y))!
            return (Int(p.r), Int(p.g), Int(p.b))
        }
        let layout = SummaryLayout(width: 1600, height: 1000)

        // The key frame, scaled into its cell, with the red joint drawn by the overlay.
        let place = layout.keyFrameImage(width: 320, height: 180)
        let scale = place.width / 320
        let joint = pixel(place.x + 160 * scale, place.y + 90 * scale)
        #expect(joint.r > 180 && joint.g < 90 && joint.b < 90, "red joint \(joint)")
        let grey = pixel(place.x + 300 * scale, place.y + 160 * scale)
        #expect(abs(grey.r - 128) <= 1 && abs(grey.g - 128) <= 1, "frame background \(grey)")

        // The risk chart: the red band's faint colour at the top, away from the line (which stays below 50).
        let canvas = try CairoCanvas(width: 1, height: 1)
        let panels = summary.timePanels(layout)
        let plotLeft = panels.map { $0.panel.minimumPlotLeft(on: canvas) }.max()!
        let risk = panels[1]
        let riskPlot = risk.panel.layout(size: (risk.cell.width, risk.cell.height), plotLeft: plotLeft, on: canvas).plot
        let band = pixel(risk.cell.x + riskPlot.midX + 17, risk.cell.y + riskPlot.y + 5)
        let faintRed = TimeSeriesPanel.faint(RiskColors.red)
        #expect(abs(Double(band.r) - faintRed.r * 255) <= 1 && abs(Double(band.g) - faintRed.g * 255) <= 1, "red band \(band)")
        #expect(band.r > band.g && band.r > band.b)
        let greenBand = pixel(risk.cell.x + riskPlot.x + 5, risk.cell.y + riskPlot.maxY - 3)
        #expect(greenBand.g > greenBand.r && greenBand.g > greenBand.b, "green band \(greenBand)")

        // The angle chart: rep 1 shaded (away from the lines, which are above 80°), the gap between reps white.
        let angles = panels[0]
        let anglePlot = angles.panel.layout(size: (angles.cell.width, angles.cell.height), plotLeft: plotLeft, on: canvas).plot
        let timeScale = TimeSeriesPanel.timeScale(Self.time)
        func x(_ t: Double) -> Double { angles.cell.x + timeScale.position(t, from: anglePlot.x, to: anglePlot.maxX) }
        let shade = pixel(x(1.3), angles.cell.y + anglePlot.maxY - 4)
        let tone = TimeSeriesPanel.intervalTones[0]
        #expect(abs(Double(shade.b) - tone.b * 255) <= 1 && shade.b > shade.r, "rep shade \(shade)")
        #expect(pixel(x(4.5), angles.cell.y + anglePlot.maxY - 4) == (255, 255, 255))
        #expect(plotLeft == riskPlot.x && anglePlot.x == riskPlot.x, "the time axes line up")

        // The bars: rep 1 (91) in the excellent colour, rep 2 (62.5) in the fair colour.
        let bars = try summary.scoreChart(size: layout.scores).layout().bars
        for (rep, expected) in [(0, QualityColors.color(forScore: 91)), (1, QualityColors.color(forScore: 62.5))] {
            let segment = try #require(bars[rep].first { $0.height > 0 })
            let bar = pixel(layout.scores.x + segment.midX, layout.scores.y + segment.midY)
            #expect(bar == (Int((expected.r * 255).rounded()), Int((expected.g * 255).rounded()), Int((expected.b * 255).rounded())), "rep \(rep + 1)")
        }
        try PNGProbe.expect(folder("summary.png"), [(.white, 1599, 999), (.white, 1599, 0),
                                                     (.dark, layout.angles.x + 20, SummaryLayout.titleBaseline - 6)])
    }

    @Test func emptyDataStillDraws() throws {
        let folder = try TemporaryFolder()
        var summary = figure()
        summary.reps = []
        summary.repScores = []
        summary.angles = [("left knee", Self.time.map { _ in nil }), ("right knee", Self.time.map { _ in nil })]
        summary.risks = [("left knee", Self.time.map { _ in .nan })]
        summary.keyFrame = nil
        try summary.write(to: folder("empty.png"))
        #expect(try PNGProbe.size(of: folder("empty.png")) == (1600, 1000))

        let nothing = SummaryFigure(title: "", time: [], angles: [], reps: [(start: .nan, end: 3, label: "odd")], risks: [],
                                    repScores: [], keyFrame: nil)
        try nothing.write(to: folder("nothing.png"))
        #expect(try PNGProbe.size(of: folder("nothing.png")) == (1600, 1000))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["empty.png", "nothing.png"])
    }

    @Test func badDataThrowsAndWritesNothing() throws {
        let folder = try TemporaryFolder()
        let target = folder("summary.png")
        var summary = figure()
        summary.risks.append(("right knee", [10, 20]))
        let series = try #require(throws: DrawingError.self) { try summary.write(to: target) }
        #expect(series.description.contains(target.path))
        #expect(series.description.contains("risk series \"right knee\": 2 values for 300 times"), "\(series)")

        summary = figure()
        summary.repScores.append(("rep 3", .nan))
        let score = try #require(throws: DrawingError.self) { try summary.write(to: target) }
        #expect(score.description.contains("rep \"rep 3\" has score nan"), "\(score)")

        summary = figure()
        summary.keyFrame?.pixels.removeLast()
        let frame = try #require(throws: DrawingError.self) { try summary.write(to: target) }
        #expect(frame.description.contains(target.path) && frame.description.contains("key frame: 172799 bytes"), "\(frame)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        // A failed write leaves the previous figure in place.
        try figure().write(to: target)
        let before = try Data(contentsOf: target)
        #expect(throws: DrawingError.self) { try summary.write(to: target) }
        #expect(try Data(contentsOf: target) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["summary.png"])
    }

    @Test func unwritableTargetsNameThePathAndLeaveNothing() throws {
        let folder = try TemporaryFolder()
        try folder.write("blocker", "a file where a folder is needed")
        let blocked = try #require(throws: DrawingError.self) { try figure().write(to: folder("blocker/summary.png")) }
        #expect(blocked.description.contains(folder("blocker/summary.png").path))
        #expect(blocked.exitCode == 1)

        // A folder at the target: the temporary file is written, the rename fails and the temporary file goes.
        try FileManager.default.createDirectory(at: folder("taken.png"), withIntermediateDirectories: false)
        let taken = try #require(throws: DrawingError.self) { try figure().write(to: folder("taken.png")) }
        #expect(taken.description.contains(folder("taken.png").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["blocker", "taken.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("taken.png").path).isEmpty)
    }
}
