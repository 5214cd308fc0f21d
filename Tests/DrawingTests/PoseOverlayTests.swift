import BiomechCore
@testable import Drawing
import Foundation
import Testing
import TestSupport

/// A packed RGB24 frame in one colour, with pixel look-ups.
private struct Frame {
    let width, height: Int
    var bytes: [UInt8]

    init(width: Int, height: Int, grey: UInt8 = 128) {
        self.width = width
        self.height = height
        bytes = [UInt8](repeating: grey, count: width * height * 3)
    }

    subscript(_ x: Double, _ y: Double) -> (r: Int, g: Int, b: Int) {
        let i = (Int(y) * width + Int(x)) * 3
        return (Int(bytes[i]), Int(bytes[i + 1]), Int(bytes[i + 2]))
    }

    func isGrey(_ x: Double, _ y: Double, _ value: Int = 128) -> Bool { self[x, y] == (value, value, value) }
}

@Suite struct PoseOverlayTests {
    /// 0 red (risk 90), 1 green (10), 2 yellow (45), 3 not detected (risk 90 all the same), 4 orange (70) and
    /// 5 without a risk; bones 0-1, 1-2, 2-3 (skipped: 3 is missing), 4-5 and 0-40 (skipped: out of range).
    private static let skeleton = PoseOverlay.Skeleton(
        points: [Point2(x: 80, y: 60), Point2(x: 80, y: 180), Point2(x: 240, y: 180), nil, Point2(x: 200, y: 90), Point2(x: 280, y: 90)],
        risks: [90, 10, 45, 90, 70],
        edges: [(0, 1), (1, 2), (2, 3), (4, 5), (0, 40)])
    private static let panel = ["score 82", "reps 3"]

    private func drawn(width: Int = 320, height: Int = 240, skeleton: PoseOverlay.Skeleton = skeleton,
                       panel: [String] = panel) throws -> Frame {
        var frame = Frame(width: width, height: height)
        try PoseOverlay().draw(on: &frame.bytes, width: width, height: height, skeleton: skeleton, panel: panel)
        return frame
    }

    @Test func jointsTakeTheirBandColours() throws {
        let frame = try drawn()
        #expect(frame.bytes.count == 320 * 240 * 3)
        let red = frame[80, 60], green = frame[80, 180], yellow = frame[240, 180], orange = frame[200, 90], plain = frame[280, 90]
        #expect(red.r > 180 && red.g < 90 && red.b < 90, "risk 90: \(red)")
        #expect(green.g > 150 && green.r < 100 && green.b < 120, "risk 10: \(green)")
        #expect(yellow.r > 200 && yellow.g > 170 && yellow.b < 90, "risk 45: \(yellow)")
        #expect(orange.r > 200 && (100...170).contains(orange.g) && orange.b < 60, "risk 70: \(orange)")
        #expect(plain == (255, 255, 255), "no risk: neutral white \(plain)")
        // Bones: the middle of 0-1 fades from red to green, the middle of 1-2 from green to yellow (both thin, so
        // their pixels are partly the frame's grey).
        let redToGreen = frame[80, 120], greenToYellow = frame[160, 180]
        #expect((100...180).contains(redToGreen.r) && (80...170).contains(redToGreen.g) && redToGreen.b < 90, "\(redToGreen)")
        #expect(greenToYellow.g > 150 && greenToYellow.g > greenToYellow.r && greenToYellow.b < 90, "\(greenToYellow)")
    }

    @Test func thePanelMovesToTheCornerAwayFromThePerson() throws {
        // A person on the left third: the panel goes top right, and stays there while the person is
        // near the middle; it goes back to the left only past 60% of the width.
        let overlay = PoseOverlay()
        func frame(atX x: Double) throws -> Frame {
            var frame = Frame(width: 320, height: 240)
            let skeleton = PoseOverlay.Skeleton(points: [Point2(x: x, y: 150), Point2(x: x, y: 200)], risks: [10, 10], edges: [(0, 1)])
            try overlay.draw(on: &frame.bytes, width: 320, height: 240, skeleton: skeleton, panel: Self.panel)
            return frame
        }
        let left = try frame(atX: 60)
        #expect(left.isGrey(12, 12) && !left.isGrey(312, 12), "panel top right")
        let middle = try frame(atX: 170)
        #expect(middle.isGrey(12, 12) && !middle.isGrey(312, 12), "still top right near the middle")
        let right = try frame(atX: 260)
        #expect(!right.isGrey(12, 12) && right.isGrey(312, 12), "back top left")
    }

    @Test func theRestOfTheFrameIsLeftAlone() throws {
        let frame = try drawn()
        // Far from any joint and bone, and where the undetected landmark 3 would be.
        for (x, y) in [(300.0, 20.0), (319, 239), (160, 120), (0, 239), (240, 60), (150, 30)] {
            #expect(frame.isGrey(x, y), "(\(x), \(y)) is \(frame[x, y])")
        }
        // Landmark 3 is not detected: given a point, it and its bone to 2 would be drawn there.
        var found = Self.skeleton
        found.points[3] = Point2(x: 240, y: 60)
        let withPoint = try drawn(skeleton: found)
        #expect(!withPoint.isGrey(240, 60) && !withPoint.isGrey(240, 120))
        #expect(frame.isGrey(240, 120), "no bone 2-3")
        // A joint without a risk has no glow: just outside its disc the frame is untouched.
        let style = OverlayStyle(width: 320, height: 240)
        #expect(frame.isGrey(280, 90 + style.jointRadius + style.edgeWidth + 3))
        // A risky joint glows: a little beyond its disc the frame is tinted with its colour.
        let beside = frame[80 - style.jointRadius - style.edgeWidth - 4, 60]
        #expect(beside.r > 140 && beside.g < 128 && beside.b < 128, "glow around the red joint: \(beside)")
    }

    @Test func thePanelDarkensItsCorner() throws {
        let frame = try drawn()
        let canvas = try CairoCanvas(width: 320, height: 240)
        let panel = try #require(OverlayPanel(lines: Self.panel, style: OverlayStyle(width: 320, height: 240), frameWidth: 320, on: canvas))
        // Inside the box, left of the text: grey under 60% black.
        let inside = frame[panel.rect.x + 2, panel.rect.midY]
        #expect(inside.r < 70 && inside.r == inside.g && inside.g == inside.b, "\(inside)")
        // The text is white.
        var white = 0
        for y in Int(panel.rect.y)..<Int(panel.rect.maxY) {
            for x in Int(panel.rect.x)..<Int(panel.rect.maxX) where frame[Double(x), Double(y)].r > 200 { white += 1 }
        }
        #expect(white > 30)
        #expect(frame.isGrey(panel.rect.maxX + 3, panel.rect.midY))
        #expect(try drawn(panel: []).isGrey(panel.rect.x + 2, panel.rect.midY), "no lines, no panel")
    }

    @Test func oddSizesAndPointsOffTheFrameWork() throws {
        let skeleton = PoseOverlay.Skeleton(
            points: [Point2(x: 320, y: 180), Point2(x: -40, y: 100), Point2(x: 700, y: 400), Point2(x: .nan, y: 5), Point2(x: 640, y: 358)],
            risks: [85, 20, 50, 90, 95], edges: [(0, 1), (0, 2), (0, 3)])
        let frame = try drawn(width: 641, height: 359, skeleton: skeleton)
        #expect(frame.bytes.count == 641 * 359 * 3)
        #expect(frame[320, 180].r > 180 && frame[320, 180].g < 90)
        #expect(frame[640, 358].r > 150, "a joint in the last pixel")
        #expect(frame.isGrey(600, 40) && frame.isGrey(40, 340))
        // A 1x1 frame, and a frame with nothing to draw.
        var tiny: [UInt8] = [10, 20, 30]
        try PoseOverlay().draw(on: &tiny, width: 1, height: 1, skeleton: PoseOverlay.Skeleton(points: [Point2(x: 0, y: 0)], risks: [99], edges: []))
        #expect(tiny.count == 3 && tiny != [10, 20, 30])
        let empty = try drawn(skeleton: PoseOverlay.Skeleton(points: [], risks: [], edges: []), panel: [])
        #expect(empty.bytes == Frame(width: 320, height: 240).bytes)
    }

    @Test func oneOverlayServesManyFramesAndSizes() throws {
        let overlay = PoseOverlay()
        let moved = PoseOverlay.Skeleton(points: [Point2(x: 250, y: 40)], risks: [95], edges: [])
        var first = Frame(width: 320, height: 240), second = Frame(width: 320, height: 240, grey: 60)
        try overlay.draw(on: &first.bytes, width: 320, height: 240, skeleton: Self.skeleton, panel: Self.panel)
        try overlay.draw(on: &second.bytes, width: 320, height: 240, skeleton: moved)
        // Nothing of the first frame's drawing shows through on the second.
        var fresh = Frame(width: 320, height: 240, grey: 60)
        try PoseOverlay().draw(on: &fresh.bytes, width: 320, height: 240, skeleton: moved)
        #expect(second.bytes == fresh.bytes)
        #expect(second.isGrey(80, 60, 60))
        // A new size gets a new surface; the copying variant leaves its input alone.
        let small = Frame(width: 64, height: 48)
        let out = try overlay.drawing(small.bytes, width: 64, height: 48, skeleton: PoseOverlay.Skeleton(points: [Point2(x: 32, y: 24)], risks: [5], edges: []))
        #expect(out.count == 64 * 48 * 3 && out != small.bytes && small.bytes.allSatisfy { $0 == 128 })
    }

    @Test func sizesFollowTheFrame() {
        let small = OverlayStyle(width: 640, height: 360), large = OverlayStyle(width: 1920, height: 1080)
        #expect(abs(large.glowRadius(risk: 80) - 3 * small.glowRadius(risk: 80)) < 1e-9)
        #expect(abs(large.boneWidth - 3 * small.boneWidth) < 1e-9 && abs(large.jointRadius - 3 * small.jointRadius) < 1e-9)
        #expect(abs(large.textSize - 3 * small.textSize) < 1e-9)
        #expect(small.glowRadius(risk: 90) > small.glowRadius(risk: 30) && small.glowRadius(risk: 30) > small.glowRadius(risk: 0))
        #expect(small.glowRadius(risk: 250) == small.glowRadius(risk: 100))
        // Portrait frames scale with their width, the shorter side.
        #expect(OverlayStyle(width: 360, height: 640).glowRadius(risk: 50) == small.glowRadius(risk: 50))
    }

    @Test func badFramesThrowAndLeaveTheFrameAlone() throws {
        var short = [UInt8](repeating: 7, count: 10 * 10 * 3 - 1)
        let error = try #require(throws: DrawingError.self) {
            try PoseOverlay().draw(on: &short, width: 10, height: 10, skeleton: Self.skeleton)
        }
        #expect(error.description.contains("overlay frame 10x10") && error.description.contains("299 bytes"), "\(error)")
        #expect(short.count == 299 && short.allSatisfy { $0 == 7 })
        #expect(throws: DrawingError.self) { try PoseOverlay().draw(on: &short, width: 0, height: 10, skeleton: Self.skeleton) }
    }

    // MARK: - Colours

    @Test func bandColoursChangeAtTheBandEdges() {
        let cases: [(Double?, RGB)] = [
            (0, RiskColors.green), (29.9, RiskColors.green), (30, RiskColors.yellow), (59.9, RiskColors.yellow),
            (60, RiskColors.orange), (79.9, RiskColors.orange), (80, RiskColors.red), (100, RiskColors.red),
            (-5, RiskColors.green), (140, RiskColors.red), (nil, RiskColors.neutral), (.nan, RiskColors.neutral),
        ]
        for (risk, color) in cases {
            #expect(RiskColors.color(forRisk: risk) == color, "risk \(String(describing: risk))")
        }
        #expect(Set([RiskColors.green, RiskColors.yellow, RiskColors.orange, RiskColors.red, RiskColors.neutral].map { "\($0)" }).count == 5)
    }

    @Test func qualityColoursChangeAtTheLevelEdges() {
        let excellent = ChartStyle.palette[0], good = ChartStyle.palette[1], fair = ChartStyle.palette[2], poor = ChartStyle.palette[3]
        let cases: [(Double, RGB)] = [(100, excellent), (85, excellent), (84.9, good), (70, good), (69.9, fair), (50, fair),
                                      (49.9, poor), (0, poor), (.nan, poor)]
        for (score, color) in cases {
            #expect(QualityColors.color(forScore: score) == color, "score \(score)")
        }
        #expect(QualityColors.legend == ["excellent ≥ 85", "good 70-85", "fair 50-70", "poor < 50"])
    }
}
