import Foundation

/// A manifest's `labels:` section: how the catalog labels a dataset's videos (docs/MANIFEST.md).
///
/// Rules are tried in order and the first match wins. Paths are relative to the dataset's
/// `files/` folder. Nothing is guessed: a video no rule matches stays unlabeled.
public struct LabelSpec: Codable, Sendable, Equatable {
    public var exercise: [LabelRule]
    public var quality: [LabelRule]
    public var group: [GroupRule]
    public var annotations: [AnnotationSource]

    enum CodingKeys: String, CodingKey, CaseIterable { case exercise, quality, group, annotations }

    public init(exercise: [LabelRule] = [], quality: [LabelRule] = [], group: [GroupRule] = [], annotations: [AnnotationSource] = []) {
        self.exercise = exercise
        self.quality = quality
        self.group = group
        self.annotations = annotations
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        exercise = try c.decodeIfPresent([LabelRule].self, forKey: .exercise) ?? []
        quality = try c.decodeIfPresent([LabelRule].self, forKey: .quality) ?? []
        group = try c.decodeIfPresent([GroupRule].self, forKey: .group) ?? []
        annotations = try c.decodeIfPresent([AnnotationSource].self, forKey: .annotations) ?? []
    }
}

/// One exercise or quality rule: a glob or a regex on the path (or on the file name alone).
///
/// The label is either fixed (`value`) or captured by the regex's named group `label`; either way
/// it goes through the exercise aliases (or must be a quality level). `tokens: true` instead looks
/// for exactly one quality level among the file name's words (`squat_good_03.mp4` is good).
public struct LabelRule: Codable, Sendable, Equatable {
    /// `path` (relative to `files/`, source `path_rule`) or `filename` (source `filename_rule`).
    public enum Target: String, Codable, Sendable { case path, filename }

    public var glob: String?
    public var regex: String?
    public var tokens: Bool
    public var value: String?
    public var on: Target

    enum CodingKeys: String, CodingKey, CaseIterable { case glob, regex, tokens, value, on }

    /// `on` defaults to `filename` for `tokens` rules and to `path` otherwise, as in YAML.
    public init(glob: String? = nil, regex: String? = nil, tokens: Bool = false, value: String? = nil, on: Target? = nil) {
        self.glob = glob
        self.regex = regex
        self.tokens = tokens
        self.value = value
        self.on = on ?? (tokens ? .filename : .path)
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        glob = try c.decodeIfPresent(String.self, forKey: .glob)
        regex = try c.decodeIfPresent(String.self, forKey: .regex)
        tokens = try c.decodeIfPresent(Bool.self, forKey: .tokens) ?? false
        value = try c.decodeIfPresent(String.self, forKey: .value)
        on = try c.decodeIfPresent(Target.self, forKey: .on) ?? (tokens ? .filename : .path)
    }
}

/// How videos are grouped for splits: a regex whose named group `key` names the subject or source.
///
/// The group key is `DATASET:key`, or `SCOPE:key` when `scope` is set, so that datasets which
/// share sources (e.g. the same YouTube video, scope `youtube`) put them in the same split.
public struct GroupRule: Codable, Sendable, Equatable {
    public var regex: String
    public var scope: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case regex, scope }

    public init(regex: String, scope: String? = nil) {
        self.regex = regex
        self.scope = scope
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        regex = try c.decode(String.self, forKey: .regex)
        scope = try c.decodeIfPresent(String.self, forKey: .scope)
    }
}

/// Annotation files the catalog reads, in a format it has a parser for.
public struct AnnotationSource: Codable, Sendable, Equatable {
    /// `countix_csv`: `video_id,class,kinetics_start,kinetics_end,repetition_start,repetition_end,count`;
    /// `alex_gym_xlsx`: an ALEX-GYM-1 spreadsheet of 0/1 criterion ratings (`AlexGymSheet`);
    /// `qevd_fit_coach_json`: QEVD-FIT-COACH's `feedbacks_long_range.json` (`FitCoachFeedbacks`).
    public enum Format: String, Codable, Sendable, CaseIterable {
        case countixCSV = "countix_csv"
        case alexGymXLSX = "alex_gym_xlsx"
        case qevdFitCoachJSON = "qevd_fit_coach_json"
    }

    public var format: Format
    /// Globs relative to `files/`.
    public var files: [String]

    enum CodingKeys: String, CodingKey, CaseIterable { case format, files }

    public init(format: Format, files: [String]) {
        self.format = format
        self.files = files
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(Format.self, forKey: .format)
        files = try c.decode([String].self, forKey: .files)
    }
}

/// Glob syntax shared by label rules and annotation sources: `**` any path, `*` and `?` within one folder.
///
/// Matched by simulating the pattern as a small automaton, one pass over the path: time grows with
/// path length times pattern length, whatever the pattern. (A regular expression built from the glob
/// backtracked exponentially on `*****...` patterns; the fuzzer found it.)
public struct PathGlob: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        /// One given character.
        case literal(Character)
        /// `?`: one character other than `/`.
        case one
        /// `*`: any run of characters without `/`.
        case star
        /// `**` not followed by `/`: any run of characters.
        case anything
        /// `**/`: nothing, or any run of characters ending in `/` (zero or more whole folders).
        case folders
    }

    let tokens: [Token]

    /// Parses a glob; every string is a valid glob (characters other than `*` and `?` stand for themselves).
    public init(_ glob: String) {
        var tokens: [Token] = []
        var chars = Array(glob)[...]
        while let c = chars.popFirst() {
            switch c {
            case "*":
                var run = 1
                while chars.first == "*" { chars.removeFirst(); run += 1 }
                if run == 1 { tokens.append(.star); continue }
                if chars.first == "/" { chars.removeFirst(); tokens.append(.folders) } else { tokens.append(.anything) }
            case "?": tokens.append(.one)
            default: tokens.append(.literal(c))
            }
        }
        self.tokens = tokens
    }

    /// True when the whole of `path` matches.
    public func matches(_ path: String) -> Bool {
        var current = closure([0])
        for c in path {
            var next = Set<Int>()
            for i in current where i < tokens.count {
                switch tokens[i] {
                case .literal(let l): if c == l { next.insert(i + 1) }
                case .one: if c != "/" { next.insert(i + 1) }
                case .star: if c != "/" { next.insert(i) }
                case .anything: next.insert(i)
                case .folders:
                    next.insert(i)
                    if c == "/" { next.insert(i + 1) }
                }
            }
            if next.isEmpty { return false }
            current = closure(next)
        }
        return current.contains(tokens.count)
    }

    /// `states` plus every state reachable from them without reading a character.
    private func closure(_ states: Set<Int>) -> Set<Int> {
        var out = states
        var todo = Array(states)
        while let i = todo.popLast() {
            guard i < tokens.count else { continue }
            switch tokens[i] {
            case .star, .anything, .folders:
                if out.insert(i + 1).inserted { todo.append(i + 1) }
            case .literal, .one: break
            }
        }
        return out
    }
}
