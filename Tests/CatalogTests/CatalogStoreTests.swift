@testable import CatalogScan
@testable import CatalogStore
import CatalogReport
import Datasets
import Database
import Foundation
import Testing
import TestSupport

/// Creating the catalog from the schema, and stepping it through migrations.
@Suite struct CatalogStoreTests {
    @Test func theSchemaCreatesVersion1WithItsVocabularyAndViews() throws {
        let folder = try TemporaryFolder()
        let db = try CatalogStore.open(folder("c.sqlite").path)
        #expect(try db.userVersion == CatalogStore.version)
        #expect(try db.scalar("PRAGMA journal_mode").string == "wal")
        #expect(try db.scalar("PRAGMA foreign_keys").int == 1)
        let names = Set(try db.query("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')").rows.compactMap { $0[0].string })
        #expect(names.isSuperset(of: ["datasets", "videos", "annotations", "exercises", "exercise_aliases", "settings",
                                      "dataset_summary", "exercise_quality", "split_balance", "problems"]))
        // Every alias points at a canonical name (the foreign key), and opening again changes nothing.
        #expect(try db.scalar("SELECT COUNT(*) FROM exercise_aliases WHERE exercise NOT IN (SELECT name FROM exercises)").int == 0)
        _ = try CatalogStore.open(folder("c.sqlite").path)
    }

    @Test func migrationsRunInOrderAndAFailedStepLeavesThePreviousVersion() throws {
        let folder = try TemporaryFolder()
        let db = try CatalogStore.open(folder("c.sqlite").path)
        let steps = [1: "CREATE TABLE sequences (id INTEGER PRIMARY KEY); PRAGMA user_version = 2;",
                     2: "ALTER TABLE sequences ADD COLUMN frames INTEGER; PRAGMA user_version = 3;"]
        try CatalogStore.migrate(db, to: 3, steps: steps)
        #expect(try db.userVersion == 3)
        #expect(try db.query("SELECT frames FROM sequences").columns == ["frames"])

        let broken = [3: "CREATE TABLE windows (id INTEGER PRIMARY KEY); INSERT INTO nowhere VALUES (1); PRAGMA user_version = 4;"]
        #expect(throws: DatabaseError.self) { try CatalogStore.migrate(db, to: 4, steps: broken) }
        #expect(try db.userVersion == 3)
        #expect(try db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'windows'").int == 0, "the failed step was rolled back")
        #expect(throws: CatalogError.self) { try CatalogStore.migrate(db, to: 5, steps: [:]) }
    }

    @Test func aFileThatIsNotACatalogIsRefused() throws {
        let folder = try TemporaryFolder()
        let other = try Database(path: folder("other.sqlite").path)
        try other.executeScript("CREATE TABLE notes (text TEXT)")
        #expect(throws: CatalogError.self) { try CatalogStore.open(folder("other.sqlite").path) }
        try folder.write("text.sqlite", String(repeating: "not a database\n", count: 300))
        #expect(throws: DatabaseError.self) { try CatalogStore.open(folder("text.sqlite").path) }
        #expect(throws: CatalogError.self) { try CatalogStore.openReadOnly(folder("missing.sqlite").path) }
    }
}
