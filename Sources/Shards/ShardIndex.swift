import Foundation
import NumPy

/// `index.json` of one split folder of a shard folder (docs/SHARDS.md): what the shards hold and how
/// to check them.
public struct ShardIndex: Codable, Sendable, Equatable {
    public static let formatName = "biomech-shards"
    public static let formatVersion = 1
    public static let fileName = "index.json"

    /// `biomech-shards`, version 1.
    public var format: String
    public var version: Int
    /// `train`, `val` or `test`.
    public var split: String
    /// Frames per window (W) and frames between window starts.
    public var window: Int
    public var stride: Int
    /// `world` (metres, from `.world.npy`) or `image` (MediaPipe's image coordinates), before normalization.
    public var coords: String
    /// How `x` was normalized, in words (docs/SHARDS.md, "Normalization").
    public var normalization: String
    /// Class names in index order: `exercise[i]` is `exercises[exercise[i]]`, -1 unknown.
    public var exercises: [String]
    /// Quality names in index order, -1 unknown.
    public var qualities: [String]
    /// The six joint angles of `angles`, in order.
    public var angles: [String]
    /// The label heads of `flags`' columns, in order.
    public var heads: [String]
    /// `catalog` (source[:, 0] is the catalog's `sequences.video_id`) or `sequences` (a folder:
    /// source[:, 0] is the sequence's number, see `sequences`).
    public var source: String
    /// For folder input: each sequence's id and its number in `source[:, 0]`.
    public var sequences: [SequenceEntry]
    /// Windows in all shards.
    public var windows: Int
    /// Windows dropped, by reason (`unfilled_gap`, `missing_frames`, `missing_landmarks`, `no_torso`).
    public var dropped: [String: Int]
    /// How many windows' labels came from where, per head: `truth`, `computed`, `missing`.
    public var labelSources: [String: [String: Int]]
    /// The thresholds that filled gaps and dropped windows.
    public var thresholds: Thresholds
    public var shards: [Shard]

    public init(format: String, version: Int, split: String, window: Int, stride: Int, coords: String, normalization: String,
                exercises: [String], qualities: [String], angles: [String], heads: [String], source: String,
                sequences: [SequenceEntry], windows: Int, dropped: [String: Int], labelSources: [String: [String: Int]],
                thresholds: Thresholds, shards: [Shard]) {
        self.format = format; self.version = version; self.split = split; self.window = window; self.stride = stride
        self.coords = coords; self.normalization = normalization; self.exercises = exercises; self.qualities = qualities
        self.angles = angles; self.heads = heads; self.source = source; self.sequences = sequences; self.windows = windows
        self.dropped = dropped; self.labelSources = labelSources; self.thresholds = thresholds; self.shards = shards
    }

    public struct SequenceEntry: Codable, Sendable, Equatable {
        public var id: String
        public var number: Int64
        public init(id: String, number: Int64) { self.id = id; self.number = number }
    }

    public struct Shard: Codable, Sendable, Equatable {
        /// The files' common prefix, e.g. `shard-00000`.
        public var name: String
        public var windows: Int
        /// One per array of `ShardArray.allCases`, in that order.
        public var files: [File]
        public init(name: String, windows: Int, files: [File]) { self.name = name; self.windows = windows; self.files = files }
    }

    public struct File: Codable, Sendable, Equatable {
        /// e.g. `shard-00000.x.npy`.
        public var name: String
        /// The array's name, e.g. `x`.
        public var array: String
        /// NumPy's `descr`, e.g. `<f4`.
        public var dtype: String
        public var shape: [Int]
        public var bytes: Int
        public var sha256: String
        public init(name: String, array: String, dtype: String, shape: [Int], bytes: Int, sha256: String) {
            self.name = name; self.array = array; self.dtype = dtype; self.shape = shape; self.bytes = bytes; self.sha256 = sha256
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, version, split, window, stride, coords, normalization, exercises, qualities, angles, heads, source
        case sequences, windows, dropped, thresholds, shards
        case labelSources = "label_sources"
    }
}

/// When a gap is filled and when a window is dropped (docs/SHARDS.md, "Windowing").
public struct Thresholds: Codable, Sendable, Equatable {
    /// The longest run of missing frames of one landmark that linear interpolation fills.
    public var maxGap: Int
    /// A window is dropped when more than this share of its frames had nobody (before filling).
    public var maxMissingFrames: Double
    /// A window is dropped when more than this share of its landmark entries were missing (before filling).
    public var maxMissingLandmarks: Double

    public init(maxGap: Int = 5, maxMissingFrames: Double = 0.2, maxMissingLandmarks: Double = 0.2) {
        self.maxGap = maxGap
        self.maxMissingFrames = maxMissingFrames
        self.maxMissingLandmarks = maxMissingLandmarks
    }

    enum CodingKeys: String, CodingKey {
        case maxGap = "max_gap", maxMissingFrames = "max_missing_frames", maxMissingLandmarks = "max_missing_landmarks"
    }
}

/// The arrays of a shard, in the order of `ShardIndex.Shard.files`; each file's shape is [N] + `rowShape`.
public enum ShardArray: String, CaseIterable, Sendable {
    case x, mask, exercise, quality, form, angles, risk, flags, source

    public var dtype: NPYDType {
        switch self {
        case .x, .form, .angles, .risk: .float32
        case .mask, .flags: .uint8
        case .exercise, .quality: .int32
        case .source: .int64
        }
    }

    /// The shape of one window's entry, for windows of `window` frames.
    public func rowShape(window: Int) -> [Int] {
        switch self {
        case .x: [window, 33, 3]
        case .mask: [window, 33]
        case .exercise, .quality, .form, .risk: []
        case .angles: [6]
        case .flags: [4]
        case .source: [2]
        }
    }

    /// The file of this array in shard `prefix`, e.g. `shard-00000.x.npy`.
    public func fileName(_ prefix: String) -> String { "\(prefix).\(rawValue).npy" }
}

/// Where a label came from, as `flags` stores it per window and head.
public enum LabelSource: UInt8, Sendable, CaseIterable {
    case missing = 0
    /// Computed by `Biomechanics` from the landmarks (docs/LABELS.md).
    case computed = 1
    /// Given: the generator's truth, or the dataset's label.
    case truth = 2

    public var name: String {
        switch self {
        case .missing: "missing"
        case .computed: "computed"
        case .truth: "truth"
        }
    }
}

/// The label heads, in the order of `flags`' columns.
public enum LabelHead: Int, Sendable, CaseIterable {
    case form, angles, exercise, risk

    public var name: String {
        switch self {
        case .form: "form"
        case .angles: "angles"
        case .exercise: "exercise"
        case .risk: "risk"
        }
    }
}
