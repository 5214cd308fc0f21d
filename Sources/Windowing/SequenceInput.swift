import Biomechanics
import CatalogStore
import Database
import Datasets
import Foundation
import NumPy

/// One landmark sequence to window: where its files are, its split and labels (docs/SEQUENCES.md).
public struct SequenceInput: Sendable, Equatable {
    /// The path of its `.npy` relative to the input folder, without `.npy` (e.g. `countix/17`, `synth-00042`).
    public var id: String
    /// `source[:, 0]` of its windows: the catalog's video id, or the synthetic index, or its number in the folder.
    public var number: Int64
    public var split: Split
    /// The `.npy` file; `.world.npy` and `.json` are beside it.
    public var file: URL
    /// Labels that override the `.json`'s (the catalog's, which may have been corrected since extraction).
    public var exercise: String?
    public var quality: String?
    public var labelsFromCatalog: Bool

    public init(id: String, number: Int64, split: Split, file: URL, exercise: String? = nil, quality: String? = nil,
                labelsFromCatalog: Bool = false) {
        self.id = id; self.number = number; self.split = split; self.file = file
        self.exercise = exercise; self.quality = quality; self.labelsFromCatalog = labelsFromCatalog
    }
}

/// A sequence's arrays and metadata, read and checked.
public struct LoadedSequence: Sendable {
    public var input: SequenceInput
    public var frames: Int
    public var fps: Double
    /// `[T, 33, 4]` image x, y, z, visibility and `[T, 33, 3]` world x, y, z.
    public var image: [Float]
    public var world: [Float]
    /// Each frame's time in seconds (the `.json`'s `times`; frame / fps when it has none).
    public var times: [Double]
    /// Width over height of the frames, for isotropic image coordinates (1 when unknown).
    public var aspect: Double
    public var labels: SequenceLabels

    public init(input: SequenceInput, frames: Int, fps: Double, image: [Float], world: [Float], times: [Double], aspect: Double,
                labels: SequenceLabels) {
        self.input = input; self.frames = frames; self.fps = fps; self.image = image; self.world = world
        self.times = times; self.aspect = aspect; self.labels = labels
    }
}

/// A sequence that cannot be windowed; names the file and what is wrong.
public struct SequenceError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}

/// Finds and reads landmark sequences: a folder in the sequence format, or the catalog's `sequences`.
public enum SequenceInputs {
    /// Every `ID.json` under `folder` (recursively) with `ID.npy` beside it, sorted by id; the split is
    /// `policy`'s for the id, the number the `.json`'s `index` when it has one, else its place in the order.
    public static func folder(_ folder: URL, policy: SplitPolicy) throws -> [SequenceInput] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw SequenceError(file: folder.path, reason: "not a readable folder")
        }
        let base = folder.standardizedFileURL.path + "/"
        var ids: [String] = []
        while let url = walker.nextObject() as? URL {
            let name = url.lastPathComponent
            guard url.pathExtension == "npy", !name.hasSuffix(".world.npy"), !name.hasPrefix(".") else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base) else { continue }
            ids.append(String(path.dropFirst(base.count).dropLast(4)))
        }
        ids.sort()
        return ids.enumerated().map { position, id in
            let file = folder.appendingPathComponent(id + ".npy")
            let index = (try? JSONDecoder().decode(IndexOnly.self, from: Data(contentsOf: file.deletingPathExtension().appendingPathExtension("json"))))?.index
            return SequenceInput(id: id, number: index ?? Int64(position), split: policy.split(forGroup: id), file: file,
                                 exercise: nil, quality: nil, labelsFromCatalog: false)
        }
    }

    /// The catalog's sequences with status `ok`, by video id, with their video's split and labels;
    /// files under `landmarks` (`sequences.path`).
    public static func catalog(_ db: Database, landmarks: URL) throws -> [SequenceInput] {
        try db.records("""
            SELECT s.video_id, s.path, v.split, v.exercise, v.quality FROM sequences s JOIN videos v ON v.id = s.video_id
            WHERE s.status = 'ok' ORDER BY s.video_id
            """, table: "sequences").map { row in
            let path = try row.string("path")
            let text = try row.string("split")
            guard let split = Split(rawValue: text) else { throw RecordError(row, "split", "holds '\(text)'; expected train, val or test") }
            return SequenceInput(id: String(path.dropLast(path.hasSuffix(".npy") ? 4 : 0)), number: Int64(try row.int("video_id")),
                                 split: split, file: landmarks.appendingPathComponent(path), exercise: try row.optionalString("exercise"),
                                 quality: try row.optionalString("quality"), labelsFromCatalog: true)
        }
    }

    private struct IndexOnly: Decodable { var index: Int64? }

    /// Reads and checks a sequence's three files; `vocabulary` knows every exercise name biomech does.
    public static func load(_ input: SequenceInput, vocabulary: ExerciseVocabulary) throws -> LoadedSequence {
        let stem = input.file.deletingPathExtension()
        let jsonURL = stem.appendingPathExtension("json"), worldURL = stem.appendingPathExtension("world.npy")
        let meta: SequenceJSON
        do {
            meta = try JSONDecoder().decode(SequenceJSON.self, from: Data(contentsOf: jsonURL))
        } catch let error as DecodingError {
            throw SequenceError(file: jsonURL.path, reason: "not a sequence description: \(SequenceJSON.describe(error))")
        } catch {
            throw SequenceError(file: jsonURL.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let image = try NPYFile.read(input.file)
        let world = try NPYFile.read(worldURL)
        let t = image.shape.first ?? 0
        guard image.shape == [t, 33, 4] else {
            throw SequenceError(file: input.file.path, reason: "shape \(image.shape); expected [T, 33, 4] float32 (docs/SEQUENCES.md)")
        }
        guard world.shape == [t, 33, 3] else {
            throw SequenceError(file: worldURL.path, reason: "shape \(world.shape); expected [\(t), 33, 3] to match \(input.file.lastPathComponent)")
        }
        guard meta.fps.isFinite, meta.fps > 0 else { throw SequenceError(file: jsonURL.path, reason: "key 'fps': \(meta.fps) is not a positive rate") }
        guard world.values.contains(where: { !$0.isNaN }) else {
            throw SequenceError(file: worldURL.path, reason: "every value is NaN: nobody was found on any frame")
        }

        func exercise(_ name: String?) throws -> Exercise? {
            guard let name else { return nil }
            if let model = Exercise(rawValue: name) { return model }
            guard vocabulary.names.contains(name) else {
                throw SequenceError(file: input.labelsFromCatalog ? "catalog" : jsonURL.path,
                                    reason: "key 'exercise': '\(name)' is not an exercise biomech knows (catalog.sqlite.sql lists them)")
            }
            return nil  // a real exercise, but not one of the model's classes
        }
        func quality(_ name: String?) throws -> QualityLevel? {
            guard let name else { return nil }
            guard let level = QualityLevel(rawValue: name) else {
                throw SequenceError(file: jsonURL.path, reason: "key 'quality': '\(name)'; expected excellent, good, fair or poor")
            }
            return level
        }
        var labels = SequenceLabels(exercise: try exercise(input.labelsFromCatalog ? input.exercise : meta.exercise),
                                    quality: try quality(input.labelsFromCatalog ? input.quality : meta.quality))
        if let truth = meta.truth {
            labels.truth = SequenceTruth(reps: (truth.reps ?? []).map { .init(start: $0.start, end: $0.end, formScore: $0.formScore) },
                                         jointAngles: truth.jointAngles, overallRisk: truth.overallRisk)
        }
        let aspect = meta.camera?.aspect ?? meta.video.flatMap { v in v.height > 0 ? Double(v.width) / Double(v.height) : nil } ?? 1
        let times = meta.times.flatMap { $0.count == t ? $0 : nil } ?? (0..<t).map { Double($0) / meta.fps }
        return LoadedSequence(input: input, frames: t, fps: meta.fps, image: image.values, world: world.values, times: times,
                              aspect: aspect, labels: labels)
    }
}

/// The keys of `ID.json` windowing reads.
struct SequenceJSON: Decodable {
    var fps: Double
    var times: [Double]?
    var exercise: String?
    var quality: String?
    var camera: Camera?
    var video: Video?
    var truth: Truth?

    struct Camera: Decodable { var aspect: Double? }
    struct Video: Decodable { var width: Int, height: Int }
    struct Truth: Decodable {
        var reps: [Rep]?
        var jointAngles: [[Double]]?
        var overallRisk: [Double]?
        enum CodingKeys: String, CodingKey { case reps, jointAngles = "joint_angles", overallRisk = "overall_risk" }
    }
    struct Rep: Decodable {
        var start: Int, end: Int, formScore: Double
        enum CodingKeys: String, CodingKey { case start, end, formScore = "form_score" }
    }

    /// A decoding error as "key 'a.b': what".
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "key '\(path(context))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
