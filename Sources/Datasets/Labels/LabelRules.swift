import BiomechCore
import Biomechanics
import Foundation

/// Where a label came from (`videos.exercise_source`, `videos.quality_source`).
public enum LabelSource: String, Sendable {
    case pathRule = "path_rule", filenameRule = "filename_rule", annotation, manual
}

/// The labels rules give one video, before annotations are considered.
public struct RuleLabels: Equatable, Sendable {
    public var exercise: String?, exerciseSource: LabelSource?
    public var quality: String?, qualitySource: LabelSource?
    public var groupKey: String
    /// Group key plus the rule's `clip` capture: the same clip of the same source, wherever it is.
    public var sourceKey: String?

    public init(exercise: String? = nil, exerciseSource: LabelSource? = nil, quality: String? = nil,
                qualitySource: LabelSource? = nil, groupKey: String, sourceKey: String? = nil) {
        self.exercise = exercise; self.exerciseSource = exerciseSource
        self.quality = quality; self.qualitySource = qualitySource
        self.groupKey = groupKey; self.sourceKey = sourceKey
    }
}

/// A dataset's `labels:` section compiled against the exercise vocabulary.
public struct LabelRules: @unchecked Sendable {
    struct Rule {
        /// How a rule tests a path: a glob (matched without regular expressions), a regex, or the quality-word tokens.
        enum Matcher { case glob(PathGlob), regex(NSRegularExpression), tokens }
        let matcher: Matcher
        let value: String?
        let tokens: Bool
        let on: LabelRule.Target
    }

    let dataset: String
    let exercise: [Rule], quality: [Rule]
    let group: [(pattern: NSRegularExpression, scope: String?)]
    let vocabulary: ExerciseVocabulary
    static let levels = Set(QualityLevel.allCases.map(\.rawValue))

    /// Compiles the rules; an exercise name outside the vocabulary is a configuration error naming the manifest and key.
    public init(dataset: String, spec: LabelSpec?, vocabulary: ExerciseVocabulary, manifestPath: String) throws {
        self.dataset = dataset
        self.vocabulary = vocabulary
        let spec = spec ?? LabelSpec()
        func compile(_ rules: [LabelRule], _ list: String) throws -> [Rule] {
            try rules.enumerated().map { i, rule in
                let matcher: Rule.Matcher
                if rule.tokens {
                    matcher = .tokens
                } else if let source = rule.regex {
                    guard let pattern = try? NSRegularExpression(pattern: source) else {
                        throw ConfigurationError(file: manifestPath, key: "labels.\(list)[\(i)].regex", message: "not a valid pattern: '\(source)'")
                    }
                    matcher = .regex(pattern)
                } else {
                    matcher = .glob(PathGlob(rule.glob ?? ""))
                }
                if list == "exercise", let value = rule.value, vocabulary.canonical(value) == nil {
                    throw ConfigurationError(file: manifestPath, key: "labels.exercise[\(i)].value",
                                             message: "'\(value)' is not an exercise or alias in the catalog vocabulary (table exercise_aliases)")
                }
                return Rule(matcher: matcher, value: rule.value, tokens: rule.tokens, on: rule.on)
            }
        }
        exercise = try compile(spec.exercise, "exercise")
        quality = try compile(spec.quality, "quality")
        group = try spec.group.enumerated().map { i, rule in
            guard let pattern = try? NSRegularExpression(pattern: rule.regex) else {
                throw ConfigurationError(file: manifestPath, key: "labels.group[\(i)].regex", message: "not a valid pattern: '\(rule.regex)'")
            }
            return (pattern, rule.scope)
        }
    }

    /// The rule labels and group key for a path relative to `files/`.
    public func labels(for path: String) -> RuleLabels {
        let name = PathText.lastComponent(path)
        var out = RuleLabels(groupKey: "\(dataset):\(PathText.deletingExtension(path))")
        for rule in exercise {
            if let raw = match(rule, path: path, name: name), let canonical = vocabulary.canonical(raw) {
                out.exercise = canonical
                out.exerciseSource = rule.on == .path ? .pathRule : .filenameRule
                break
            }
        }
        for rule in quality {
            let found = rule.tokens ? Self.qualityToken(in: name) : match(rule, path: path, name: name).map { $0.lowercased() }
            if let level = found, Self.levels.contains(level) {
                out.quality = level
                out.qualitySource = rule.on == .path ? .pathRule : .filenameRule
                break
            }
        }
        for (pattern, scope) in group {
            let range = NSRange(path.startIndex..., in: path)
            if let m = pattern.firstMatch(in: path, range: range), let r = Range(m.range(withName: "key"), in: path) {
                out.groupKey = "\(scope ?? dataset):\(path[r])"
                if let clip = Range(m.range(withName: "clip"), in: path) { out.sourceKey = "\(out.groupKey):\(path[clip])" }
                break
            }
        }
        return out
    }

    /// The rule's label for this path: its fixed value, or what its `label` group captured.
    private func match(_ rule: Rule, path: String, name: String) -> String? {
        let subject = rule.on == .path ? path : name
        switch rule.matcher {
        case .tokens: return nil
        case .glob(let glob): return glob.matches(subject) ? rule.value : nil
        case .regex(let pattern):
            guard let m = pattern.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) else { return nil }
            if let value = rule.value { return value }
            return Range(m.range(withName: "label"), in: subject).map { String(subject[$0]) }
        }
    }

    /// The one quality level among the file name's words; none, or two different ones, give nil.
    static func qualityToken(in name: String) -> String? {
        let stem = PathText.deletingExtension(name).lowercased()
        let words = Set(stem.split { !$0.isLetter }.map(String.init)).intersection(levels)
        return words.count == 1 ? words.first : nil
    }
}
