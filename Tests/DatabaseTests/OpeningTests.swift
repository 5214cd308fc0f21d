import Database
import Foundation
import Testing

/// Opening files: modes, missing files and files that are not databases.
@Suite struct OpeningTests {
    let fixture: DatabaseFixture
    init() throws { fixture = try DatabaseFixture() }

    @Test func createMakesTheFile() throws {
        let path = fixture.path("new.sqlite")
        let db = try Database(path: path)
        #expect(db.path == path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try db.scalar("PRAGMA foreign_keys") == 1)
        #expect(try db.scalar("PRAGMA busy_timeout") == 5000)
    }

    @Test func readOnlyQueriesButRefusesWrites() throws {
        let path = fixture.path("ro.sqlite")
        try fixture.database("ro.sqlite", "CREATE TABLE t(v); INSERT INTO t VALUES ('x')").executeScript("PRAGMA user_version = 3")
        let db = try Database(path: path, mode: .readOnly)
        #expect(try db.query("SELECT v FROM t").rows == [["x"]])
        #expect(try db.userVersion == 3)
        let error = try #require(throws: DatabaseError.self) { try db.execute("INSERT INTO t VALUES (?)", ["y"]) }
        #expect(error.codeName.hasPrefix("SQLITE_READONLY"))
        #expect(error.description.contains("readonly"))
        // Turning query_only off does not help: the file itself is open read-only.
        try db.executeScript("PRAGMA query_only = OFF")
        let again = try #require(throws: DatabaseError.self) { try db.executeScript("DELETE FROM t") }
        #expect(again.codeName.hasPrefix("SQLITE_READONLY"))
        #expect(throws: DatabaseError.self) { try db.executeScript("CREATE TABLE u(v)") }
        #expect(try db.count("t") == 1)
    }

    @Test(arguments: [Database.Mode.readOnly, .readWrite])
    func missingFileIsReported(mode: Database.Mode) throws {
        let path = fixture.path("missing.sqlite")
        let error = try #require(throws: DatabaseError.self) { try Database(path: path, mode: mode) }
        #expect(error.codeName == "SQLITE_CANTOPEN")
        #expect(error.description == "\(path): SQLITE_CANTOPEN (file does not exist)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func missingFolderIsReported() throws {
        let path = fixture.path("no/such/folder/new.sqlite")
        let error = try #require(throws: DatabaseError.self) { try Database(path: path) }
        #expect(error.codeName == "SQLITE_CANTOPEN")
        #expect(error.description.hasPrefix(path))
        #expect(error.description.contains("folder \(fixture.path("no/such/folder")) does not exist"))
    }

    @Test(arguments: [Database.Mode.readOnly, .readWrite, .create])
    func textFileIsNotADatabase(mode: Database.Mode) throws {
        let text = String(repeating: "this is a plain text file, not a database\n", count: 100).prefix(4096)
        let url = try fixture.folder.write("notes.sqlite", String(text))
        let error = try #require(throws: DatabaseError.self) { try Database(path: url.path, mode: mode) }
        #expect(error.codeName == "SQLITE_NOTADB")
        #expect(error.description == "\(url.path): SQLITE_NOTADB (file is not a database)")
        // Nothing was written to it.
        #expect(try String(contentsOf: url, encoding: .utf8) == String(text))
    }

    @Test func emptyFileIsAnEmptyDatabase() throws {
        let url = try fixture.folder.write("empty.sqlite", "")
        let db = try Database(path: url.path, mode: .readOnly)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema") == 0)
    }

    @Test func inMemoryDatabase() throws {
        let db = try Database(path: ":memory:")
        try db.executeScript("CREATE TABLE t(v); INSERT INTO t VALUES (1)")
        #expect(try db.count("t") == 1)
    }
}
