import BiomechCore
import Biomechanics
import Foundation

/// The names behind the shard arrays' indices, as every `index.json` lists them.
public enum WindowVocabulary {
    public static let exercises = Exercise.allCases.map(\.rawValue)
    public static let qualities = QualityLevel.allCases.map(\.rawValue)
    public static let angles = JointAngle.names
}

/// What a run did.
public struct WindowSummary: Codable, Sendable, Equatable {
    public var sequences: Int
    /// Sequences that could not be read, each with the reason.
    public var skipped: [String] = []
    public var frames = 0
    public var windows: [String: Int] = [:]
    public var shards: [String: Int] = [:]
    public var dropped: [String: Int] = [:]
    public var seconds = 0.0

    public init(sequences: Int) { self.sequences = sequences }

    public var sequencesPerSecond: Double { seconds > 0 ? Double(sequences) / seconds : 0 }

    public var table: String {
        let rows = ["train", "val", "test"].map { [$0, Format.count(Int64(windows[$0] ?? 0)), "\(shards[$0] ?? 0)"] }
        var text = Format.table(header: ["split", "windows", "shards"], rows: rows)
        let drops = dropped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        text += "\ndropped: " + (drops.isEmpty ? "none" : drops)
        text += String(format: "\n%d sequences (%@ frames) in %.2f s: %.0f sequences/s", sequences, Format.count(Int64(frames)),
                       seconds, sequencesPerSecond)
        if !skipped.isEmpty { text += "\n\(skipped.count) sequences skipped (see the messages above)" }
        return text
    }
}
