import Database
import Datasets

extension ExerciseVocabulary {
    /// The vocabulary the catalog holds (`exercises`, `exercise_aliases`), which label rules are checked against.
    public init(_ db: Database) throws {
        let names = Set(try db.records("SELECT name FROM exercises", table: "exercises").map { try $0.string("name") })
        var aliases: [String: String] = [:]
        for row in try db.records("SELECT alias, exercise FROM exercise_aliases", table: "exercise_aliases") {
            aliases[try row.string("alias")] = try row.string("exercise")
        }
        self.init(names: names, aliases: aliases)
    }

    /// The vocabulary of the catalog schema biomech ships (catalog.sqlite.sql), without a catalog file.
    public static func builtIn() throws -> ExerciseVocabulary {
        let scratch = try Database(path: ":memory:")
        try scratch.executeScript(CatalogStore.schema)
        return try ExerciseVocabulary(scratch)
    }
}
