import Database

/// The canonical exercise names and their aliases, read from the catalog (`exercises`, `exercise_aliases`).
public struct ExerciseVocabulary: Sendable {
    public private(set) var names: Set<String> = []
    private var aliases: [String: String] = [:]

    public init(names: Set<String>, aliases: [String: String]) {
        self.names = names
        self.aliases = aliases
    }

    public init(_ db: Database) throws {
        names = Set(try db.query("SELECT name FROM exercises").rows.compactMap { $0[0].string })
        for row in try db.query("SELECT alias, exercise FROM exercise_aliases").rows {
            if let alias = row[0].string, let name = row[1].string { aliases[alias] = name }
        }
    }

    /// Lowercase with '-', ' ' and '.' as '_', runs of '_' collapsed: "Push-Up" and "push up" become "push_up".
    public static func normalize(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() {
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
        let joined = key.replacingOccurrences(of: "_", with: "")
        return names.contains(joined) ? joined : aliases[joined]
    }
}
