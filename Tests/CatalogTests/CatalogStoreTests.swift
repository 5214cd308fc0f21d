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
    @Test func aNewCatalogHasTheCurrentVersionWithItsVocabularyAndViews() throws {
        let folder = try TemporaryFolder()
        let db = try CatalogStore.open(folder("c.sqlite").path)
        #expect(try db.userVersion == CatalogStore.version)
        #expect(try db.scalar("PRAGMA journal_mode").string == "wal")
        #expect(try db.scalar("PRAGMA foreign_keys").int == 1)
        let names = Set(try db.query("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')").rows.compactMap { $0[0].string })
        #expect(names.isSuperset(of: ["datasets", "videos", "annotations", "exercises", "exercise_aliases", "settings",
                                      "dataset_summary", "exercise_quality", "split_balance", "problems", "sequences"]))
        // Every alias points at a canonical name (the foreign key), and opening again changes nothing.
        #expect(try db.scalar("SELECT COUNT(*) FROM exercise_aliases WHERE exercise NOT IN (SELECT name FROM exercises)").int == 0)
        _ = try CatalogStore.open(folder("c.sqlite").path)
    }

    @Test func migrationsRunInOrderAndAFailedStepLeavesThePreviousVersion() throws {
        let folder = try TemporaryFolder()
        let db = try CatalogStore.open(folder("c.sqlite").path)
        let v = CatalogStore.version
        let steps = [v: "CREATE TABLE later (id INTEGER PRIMARY KEY); PRAGMA user_version = \(v + 1);",
                     v + 1: "ALTER TABLE later ADD COLUMN frames INTEGER; PRAGMA user_version = \(v + 2);"]
        try CatalogStore.migrate(db, to: v + 2, steps: steps)
        #expect(try db.userVersion == v + 2)
        #expect(try db.query("SELECT frames FROM later").columns == ["frames"])

        let broken = [v + 2: "CREATE TABLE windows2 (id INTEGER PRIMARY KEY); INSERT INTO nowhere VALUES (1); PRAGMA user_version = \(v + 3);"]
        #expect(throws: DatabaseError.self) { try CatalogStore.migrate(db, to: v + 3, steps: broken) }
        #expect(try db.userVersion == v + 2)
        #expect(try db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'windows2'").int == 0, "the failed step was rolled back")
        #expect(throws: CatalogError.self) { try CatalogStore.migrate(db, to: v + 4, steps: [:]) }
    }

    @Test func aVersion1CatalogMigratesToTheSameSchemaAsANewOneAndKeepsItsRows() throws {
        let folder = try TemporaryFolder()
        let old = try Database(path: folder("old.sqlite").path)
        try old.executeScript(CatalogStore.schema)
        #expect(try old.userVersion == 1)
        try old.executeScript("""
            INSERT INTO datasets (name, title, homepage, license, commercial_use, access, manifest_sha256, scanned_at)
                VALUES ('d', 't', 'h', 'l', 1, 'http', 'x', 'now');
            INSERT INTO videos (dataset, path, sha256, size_bytes, mtime, frame_count, group_key, split, scanned_at)
                VALUES ('d', 'a.mp4', 'abc', 10, 1, 30, 'g', 'train', 'now');
            """)
        let migrated = try CatalogStore.open(folder("old.sqlite").path)
        let fresh = try CatalogStore.open(folder("new.sqlite").path)
        let schemaSQL = "SELECT type, name, sql FROM sqlite_schema ORDER BY name"
        #expect(try migrated.query(schemaSQL).rows == fresh.query(schemaSQL).rows)
        #expect(try migrated.scalar("SELECT COUNT(*) FROM videos").int == 1)
        #expect(try migrated.query("SELECT * FROM sequences").columns.contains("settings_sha256"))
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
