import Drawing
import Foundation

/// Stick figures to draw in tests.
enum Figures {
    /// A five-point figure: 0 head, 1 hip, 2 hand, 3 left foot, 4 right foot; the spine (0-1) is vertical at x = 0.5.
    static let simple: [Point2?] = [
        Point2(x: 0.5, y: 0.1), Point2(x: 0.5, y: 0.6), Point2(x: 0.2, y: 0.35),
        Point2(x: 0.35, y: 0.95), Point2(x: 0.65, y: 0.95),
    ]
    static let simpleEdges = [(0, 1), (0, 2), (1, 3), (1, 4)]

    /// A side-view squat: 0 head, 1 shoulder, 2 elbow, 3 wrist, 4 hip, 5 knee, 6 ankle, 7 toe.
    static let squatEdges = [(0, 1), (1, 2), (2, 3), (1, 4), (4, 5), (5, 6), (6, 7)]

    /// One squat repetition over `count` frames, down and back up.
    static func squat(frames count: Int) -> [[Point2?]] {
        (0..<count).map { index in
            let depth = sin(Double.pi * Double(index) / Double(max(1, count - 1)))
            func step(_ from: Point2, _ length: Double, degrees: Double) -> Point2 {
                let angle = degrees * Double.pi / 180  // measured from straight up, positive is forward
                return Point2(x: from.x + length * sin(angle), y: from.y - length * cos(angle))
            }
            let ankle = Point2(x: 0.45, y: 0.95)
            let knee = step(ankle, 0.24, degrees: 35 * depth)
            let hip = step(knee, 0.24, degrees: -95 * depth)
            let shoulder = step(hip, 0.28, degrees: 40 * depth)
            let head = step(shoulder, 0.08, degrees: 40 * depth)
            let elbow = step(shoulder, 0.14, degrees: 180 - 90 * depth)
            let wrist = step(elbow, 0.13, degrees: 180 - 90 * depth)
            return [head, shoulder, elbow, wrist, hip, knee, ankle, Point2(x: 0.53, y: 0.96)]
        }
    }
}
