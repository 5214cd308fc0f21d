import Foundation

/// The YouTube videos of an `access: youtube` dataset, fetched with yt-dlp.
///
/// Two kinds of source, usable together: CSV files listing clips by id (e.g. Countix's annotations),
/// and playlist or channel URLs a curator collects from (`sources`), filtered by title, date and
/// length and limited per exercise. docs/MANIFEST.md, "youtube".
public struct YouTubeList: Codable, Sendable, Equatable {
    /// CSV files, relative to the dataset folder `OUT/NAME/`.
    public var lists: [String]
    /// The column of `lists` holding the video id; required with `lists`.
    public var idColumn: String?
    public var startColumn: String?
    public var endColumn: String?
    /// Playlists and channels to take videos from.
    public var sources: [YouTubeSource]
    /// At most this many videos per exercise (across `sources`; a source without an exercise counts as one group).
    public var perExercise: Int?
    /// Upload dates kept, inclusive, as YYYY-MM-DD.
    public var after: String?
    public var before: String?
    /// Video lengths kept, in seconds, inclusive.
    public var minSeconds: Double?
    public var maxSeconds: Double?
    /// A yt-dlp format selector.
    public var format: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case lists, format, sources, after, before
        case idColumn = "id_column"
        case startColumn = "start_column"
        case endColumn = "end_column"
        case perExercise = "per_exercise"
        case minSeconds = "min_seconds"
        case maxSeconds = "max_seconds"
    }

    public init(lists: [String] = [], idColumn: String? = nil, startColumn: String? = nil, endColumn: String? = nil,
                sources: [YouTubeSource] = [], format: String? = nil) {
        self.lists = lists
        self.idColumn = idColumn
        self.startColumn = startColumn
        self.endColumn = endColumn
        self.sources = sources
        self.format = format
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lists = try c.decodeIfPresent([String].self, forKey: .lists) ?? []
        idColumn = try c.decodeIfPresent(String.self, forKey: .idColumn)
        startColumn = try c.decodeIfPresent(String.self, forKey: .startColumn)
        endColumn = try c.decodeIfPresent(String.self, forKey: .endColumn)
        sources = try c.decodeIfPresent([YouTubeSource].self, forKey: .sources) ?? []
        perExercise = try c.decodeIfPresent(Int.self, forKey: .perExercise)
        after = try c.decodeIfPresent(String.self, forKey: .after)
        before = try c.decodeIfPresent(String.self, forKey: .before)
        minSeconds = try c.decodeIfPresent(Double.self, forKey: .minSeconds)
        maxSeconds = try c.decodeIfPresent(Double.self, forKey: .maxSeconds)
        format = try c.decodeIfPresent(String.self, forKey: .format)
    }
}

/// A YouTube playlist or channel whose videos a dataset takes, filtered by title.
public struct YouTubeSource: Codable, Sendable, Equatable {
    /// A playlist, channel or channel-tab URL, e.g. `https://www.youtube.com/@name/videos`.
    public var url: String
    /// The exercise its videos show: they land in `files/youtube/<exercise>/`, which a label rule can read.
    public var exercise: String?
    /// Regexes (case-insensitive) on the title: with any, a title must match one.
    public var include: [String]
    /// Regexes (case-insensitive) on the title: a match drops the video.
    public var exclude: [String]

    enum CodingKeys: String, CodingKey, CaseIterable { case url, exercise, include, exclude }

    public init(url: String, exercise: String? = nil, include: [String] = [], exclude: [String] = []) {
        self.url = url; self.exercise = exercise; self.include = include; self.exclude = exclude
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        exercise = try c.decodeIfPresent(String.self, forKey: .exercise)
        include = try c.decodeIfPresent([String].self, forKey: .include) ?? []
        exclude = try c.decodeIfPresent([String].self, forKey: .exclude) ?? []
    }
}
