/// The canonical exercise names and their aliases (the catalog stores them in `exercises` and `exercise_aliases`).
public struct ExerciseVocabulary: Sendable {
    public private(set) var names: Set<String> = []
    private var aliases: [String: String] = [:]

    /// Every name and alias with its underscores removed: "BackSquat" and "BarbellRow" match through these.
    private var compact: [String: String] = [:]

    public init(names: Set<String>, aliases: [String: String]) {
        self.names = names
        self.aliases = aliases
        for name in names { compact[name.replacingOccurrences(of: "_", with: "")] = name }
        for (alias, name) in aliases.sorted(by: { $0.key < $1.key }) {
            let key = alias.replacingOccurrences(of: "_", with: "")
            if compact[key] == nil { compact[key] = name }   // canonical names win
        }
    }

    /// Lowercase with '-', ' ' and '.' as '_', runs of '_' collapsed, brackets and quotes dropped:
    /// "Push-Up" and "push up" become "push_up", "mountain climber (exercise)" "mountain_climber_exercise".
    public static func normalize(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() where !"()[]'\"".contains(c) {
            let mapped: Character = c == "-" || c == " " || c == "." ? "_" : c
            if mapped == "_" && (out.isEmpty || out.last == "_") { continue }
            out.append(mapped)
        }
        while out.last == "_" { out.removeLast() }
        return out
    }

    /// The canonical name for a spelling, or nil when it is neither a name nor an alias.
    public func canonical(_ text: String) -> String? {
        let key = Self.normalize(text)
        if names.contains(key) { return key }
        if let name = aliases[key] { return name }
        return compact[key.replacingOccurrences(of: "_", with: "")]
    }
}
