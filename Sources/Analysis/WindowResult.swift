import Model
import Windowing

/// The model's outputs for one window, with where the window lies in the sequence.
public struct WindowResult: Sendable, Equatable {
    /// The window's first frame and its frame count.
    public var start: Int, frames: Int
    public var startSeconds: Double, endSeconds: Double
    public var form: Double
    public var risk: Double
    /// Degrees, in `JointAngle` order.
    public var angles: [Double]
    /// In the checkpoint's class order.
    public var probabilities: [Double]

    /// Runs `windows` through `model` in batches of `batch`; results in the same order.
    public static func predict(_ windows: [CutWindow], model: InferenceModel, batch: Int = 32) throws -> [WindowResult] {
        var results: [WindowResult] = []
        results.reserveCapacity(windows.count)
        let k = model.classNames.count
        for first in stride(from: 0, to: windows.count, by: batch) {
            let chunk = windows[first..<min(first + batch, windows.count)]
            let time = chunk.first!.record.x.count / (33 * 3)
            let predictions = try model.predict(chunk.flatMap(\.record.x), batch: chunk.count, time: time)
            for (i, window) in chunk.enumerated() {
                results.append(WindowResult(
                    start: Int(window.record.start), frames: time, startSeconds: window.startSeconds, endSeconds: window.endSeconds,
                    form: Double(min(100, max(0, predictions.form[i]))), risk: Double(min(100, max(0, predictions.risk[i]))),
                    angles: (0..<6).map { Double(predictions.angles[i * 6 + $0]) },
                    probabilities: (0..<k).map { Double(predictions.probabilities[i * k + $0]) }))
            }
        }
        return results
    }
}
