import BiomechCore
import Biomechanics
import Drawing
import Foundation
import NumPy

/// Writes generated sequences in the landmark-sequence format (docs/SEQUENCES.md), and previews.
public enum SynthWriter {
    /// Writes `ID.npy`, `ID.world.npy` and `ID.json` into `folder`, each atomically.
    public static func write(_ sequence: SynthSequence, to folder: URL) throws {
        let t = sequence.metadata.frames
        try NPYFile.write(NPYArray(shape: [t, Landmark.count, 4], values: sequence.image),
                          to: folder.appendingPathComponent(sequence.id + ".npy"))
        try NPYFile.write(NPYArray(shape: [t, Landmark.count, 3], values: sequence.world),
                          to: folder.appendingPathComponent(sequence.id + ".world.npy"))
        try AtomicFile.write(encodeJSON(sequence.metadata), to: folder.appendingPathComponent(sequence.id + ".json"))
    }

    /// Sorted-key JSON, so a seed gives the same bytes every time.
    public static func encodeJSON<T: Encodable>(_ value: T) throws -> Data {
        try JSONOutput.data(value)
    }

    /// A PNG contact sheet: each sequence as a row of stick figures seen from the subject's side.
    public static func preview(_ sequences: [SynthSequence], to url: URL, framesPerRow: Int = 8) throws {
        var sheet = ContactSheet(edges: SkeletonGraph.poseConnections)
        sheet.framesPerRow = framesPerRow
        sheet.title = "biomech-synth: side views of generated sequences (seed \(sequences.first?.metadata.seed ?? 0))"
        let rows = sequences.map { s -> StickFigureRow in
            let m = s.metadata
            let faults = m.faults.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1f", $0.value))" }
            let label = "\(m.exercise.rawValue) · \(m.quality.rawValue) · form \(Int(m.truth.formScore.rounded()))"
                + (faults.isEmpty ? "" : " · " + faults.joined(separator: ", "))
            // Side view: forward (+z) to the right, up the page; a 2.4 m box centred 1 m above the floor.
            let frames = s.bodyFrame.map { pose in
                pose.map { p -> Point2? in Point2(x: 0.5 + p.z / 2.4, y: 0.5 - (p.y - 1.0) / 2.4) }
            }
            return StickFigureRow(label: label, frames: frames)
        }
        try sheet.write(rows, to: url)
    }
}
