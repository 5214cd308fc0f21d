import BiomechCore
import Foundation
import NumPy
import Pose

/// `ID.json` of an extracted sequence (docs/SEQUENCES.md, "Extracted sequences").
struct ExtractedMetadata: Encodable {
    var id: String
    /// The dataset, as `source` of synthetic sequences says `synthetic`.
    var source: String
    var fps: Double
    var frames: Int
    var exercise: String?, quality: String?
    var video: Video
    /// Each kept frame's presentation time in seconds (microsecond precision).
    var times: [Double]
    var detectedFraction: Double
    var detectedFrames: Int
    var meanVisibility: Double?
    var backend: PoseBackend
    var settings: ExtractSettings
    var settingsSHA256: String
    var extractor: String
    /// Corrupt packets or frames the decoder skipped.
    var decodeErrors: Int

    struct Video: Encodable {
        var dataset: String, path: String, sha256: String, split: String
        var codec: String, decoder: String
        var sourceWidth: Int, sourceHeight: Int, rotation: Int, sourceFPS: Double?
        var width: Int, height: Int

        enum CodingKeys: String, CodingKey {
            case dataset, path, sha256, split, codec, decoder, rotation, width, height
            case sourceWidth = "source_width", sourceHeight = "source_height", sourceFPS = "source_fps"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, source, fps, frames, exercise, quality, video, times, backend, settings, extractor
        case detectedFraction = "detected_fraction", detectedFrames = "detected_frames", meanVisibility = "mean_visibility"
        case settingsSHA256 = "settings_sha256", decodeErrors = "decode_errors"
    }
}

/// The landmarks of one video as they accumulate, frame by frame, then its three files.
public struct ExtractedSequence: Sendable {
    /// `[T, 33, 4]` image x, y, z, visibility and `[T, 33, 3]` world x, y, z, row after row.
    public private(set) var image: [Float] = []
    public private(set) var world: [Float] = []
    public private(set) var times: [Double] = []
    public private(set) var detectedFrames = 0
    private var visibilitySum = 0.0

    public var frames: Int { times.count }
    public var detectedFraction: Double { frames > 0 ? Double(detectedFrames) / Double(frames) : 0 }
    public var meanVisibility: Double? { detectedFrames > 0 ? visibilitySum / Double(detectedFrames * 33) : nil }

    public init() {}

    public mutating func reserve(frames: Int) {
        image.reserveCapacity(frames * 33 * 4)
        world.reserveCapacity(frames * 33 * 3)
        times.reserveCapacity(frames)
    }

    /// Appends a frame; a nil pose is a row of NaN in both arrays.
    public mutating func append(time: Double, pose: BodyPose?) {
        times.append((time * 1e6).rounded() / 1e6)
        guard let pose else {
            image.append(contentsOf: repeatElement(Float.nan, count: 33 * 4))
            world.append(contentsOf: repeatElement(Float.nan, count: 33 * 3))
            return
        }
        detectedFrames += 1
        for p in pose.image {
            image.append(p.x); image.append(p.y); image.append(p.z); image.append(p.visibility)
            visibilitySum += Double(p.visibility)
        }
        for p in pose.world {
            world.append(p.x); world.append(p.y); world.append(p.z)
        }
    }

    /// Writes `stem.npy`, `stem.world.npy`, then `stem.json`, each to a temporary name renamed into
    /// place; the catalog row written after them is what makes the sequence count.
    func write(to npy: URL, metadata: ExtractedMetadata) throws {
        let stem = npy.deletingPathExtension()
        try NPYFile.write(NPYArray(shape: [frames, 33, 4], values: image), to: npy)
        try NPYFile.write(NPYArray(shape: [frames, 33, 3], values: world), to: stem.appendingPathExtension("world.npy"))
        try JSONOutput.write(metadata, to: stem.appendingPathExtension("json"))
    }
}
