import BiomechCore
import Biomechanics
import Foundation
import Model

/// The model's `metadata_props`: what a caller needs besides the graph (docs/DEPLOY.md lists the keys).
enum Metadata {
    static let angleNames = JointAngle.names

    static let normalizedInput = "windows as biomech-window writes them: per frame minus the mid-hip (mean of landmarks 23 and 24), "
        + "divided by the window's median torso length (mid-shoulder to mid-hip); docs/WINDOW.md"

    static func rawInput(coords: String?) -> String {
        (coords ?? "world") == "image"
            ? "MediaPipe image landmarks with x and z multiplied by the frame's width over height; the graph normalizes them"
            : "MediaPipe world landmarks in metres; the graph normalizes them (mid-hip origin, unit median torso)"
    }

    static func entries(header: Checkpoint.Header, window: Int, sha256: String, options: ONNXExportOptions) -> [(String, String)] {
        func json(_ strings: [String]) -> String {
            let data = try? JSONSerialization.data(withJSONObject: strings, options: [.withoutEscapingSlashes])
            return data.flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
        }
        return [
            ("biomech.format", "biomech-onnx 1"),
            ("biomech.class_names", json(header.classNames)),
            ("biomech.angle_names", json(angleNames)),
            ("biomech.window", "\(window)"),
            ("biomech.coords", header.coords ?? "world"),
            ("biomech.normalization", "windows: per frame minus the mid-hip (mean of landmarks 23 and 24); divided by the window's "
                + "median torso length (mid-shoulder, landmarks 11 and 12, to mid-hip)"),
            ("biomech.normalize_in_graph", options.normalizeInGraph ? "true" : "false"),
            ("biomech.outputs", "form 0-100; angles degrees; exercise_logits and exercise_probs in class_names order; risk 0-100"),
            ("biomech.tool", "biomech-train \(BiomechVersion.string)"),
            ("biomech.checkpoint_sha256", sha256),
            ("biomech.checkpoint_step", "\(header.step)"),
        ]
    }
}
