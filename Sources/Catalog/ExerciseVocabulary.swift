import Database

/// The canonical exercise names and their aliases, read from the catalog (`exercises`, `exercise_aliases`).
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

    public init(_ db: Database) throws {
        let names = Set(try db.query("SELECT name FROM exercises").rows.compactMap { $0[0].string })
        var aliases: [String: String] = [:]
        for row in try db.query("SELECT alias, exercise FROM exercise_aliases").rows {
            if let alias = row[0].string, let name = row[1].string { aliases[alias] = name }
        }
        self.init(names: names, aliases: aliases)
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
