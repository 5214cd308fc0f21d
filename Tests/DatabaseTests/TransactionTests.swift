import Database
import Foundation
import Testing
import TestSupport

/// Transactions: commit, rollback on error, no nesting, and nothing uncommitted surviving a close or a crash.
@Suite struct TransactionTests {
    let fixture: DatabaseFixture
    init() throws { fixture = try DatabaseFixture() }

    @Test func commitsAndReturnsTheBodysResult() throws {
        let db = try fixture.database("t.sqlite", "CREATE TABLE t(v)")
        let id = try db.transaction {
            try db.execute("INSERT INTO t VALUES (?)", ["a"])
            try db.execute("INSERT INTO t VALUES (?)", ["b"])
            return db.lastInsertRowID
        }
        #expect(id == 2)
        // Seen from a second connection, so it was committed to the file.
        let other = try Database(path: fixture.path("t.sqlite"), mode: .readOnly)
        #expect(try other.count("t") == 2)
    }

    @Test func anErrorInsideRollsBack() throws {
        let db = try fixture.database("t.sqlite", "CREATE TABLE t(v UNIQUE); INSERT INTO t VALUES (0)")
        #expect(throws: Abandon.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (?)", [1])
                throw Abandon()
            }
        }
        #expect(try db.count("t") == 1)
        // A failing statement inside: earlier statements of the body are undone too.
        let error = try #require(throws: DatabaseError.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (?)", [2])
                try db.execute("INSERT INTO t VALUES (?)", [0])
            }
        }
        #expect(error.codeName == "SQLITE_CONSTRAINT_UNIQUE")
        #expect(try db.count("t") == 1)
        // The connection is out of the transaction and usable.
        try db.transaction { try db.execute("INSERT INTO t VALUES (?)", [3]) }
        #expect(try db.count("t") == 2)
    }

    @Test func nestingIsRefused() throws {
        let db = try fixture.database("t.sqlite", "CREATE TABLE t(v)")
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)", [])
            let error = try #require(throws: DatabaseError.self) {
                try db.transaction { try db.execute("INSERT INTO t VALUES (2)", []) }
            }
            #expect(error.description.contains("transactions do not nest"))
        }
        // The refused inner call did not disturb the outer transaction, which committed.
        #expect(try db.query("SELECT v FROM t").rows == [[1]])
        // A transaction begun by hand counts too.
        try db.execute("BEGIN")
        #expect(throws: DatabaseError.self) { try db.transaction {} }
        try db.execute("ROLLBACK")
    }

    @Test func closingWithoutCommitRollsBack() throws {
        let path = fixture.path("t.sqlite")
        do {
            let db = try Database(path: path)
            try db.executeScript("CREATE TABLE t(v); INSERT INTO t VALUES ('kept')")
            try db.execute("BEGIN IMMEDIATE")
            let insert = try db.prepare("INSERT INTO t VALUES (?)")
            for n in 0..<100 { try insert.run([SQLValue(n)]) }
            #expect(try db.count("t") == 101)
        }  // the statement and the database are released here, uncommitted
        let reopened = try Database(path: path)
        #expect(try reopened.query("SELECT v FROM t").rows == [["kept"]])
        try reopened.transaction { try reopened.execute("INSERT INTO t VALUES (?)", ["again"]) }
        #expect(try reopened.count("t") == 2)
    }

    @Test func aProcessKilledMidTransactionLeavesThePreviousState() throws {
        // A small page cache makes the uncommitted rows spill into the file, so recovery needs the hot journal.
        let path = fixture.path("killed.sqlite")
        let script = """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("CREATE TABLE t(v)")
            db.execute("INSERT INTO t VALUES ('committed')")
            db.execute("PRAGMA cache_size = 2")
            db.execute("BEGIN IMMEDIATE")
            for n in range(20000):
                db.execute("INSERT INTO t VALUES (?)", (str(n) * 20,))
            print("ready", flush=True)
            time.sleep(600)
            """
        // Kill on an event: the child says "ready" on a pipe once its uncommitted rows are in the file.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var said = ""
        while !said.contains("ready") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        try #require(said.contains("ready"), "the helper ended before it was ready")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: path + "-journal"))

        let db = try Database(path: path)
        #expect(try db.query("SELECT v FROM t").rows == [["committed"]])
        #expect(try db.scalar("PRAGMA integrity_check") == "ok")
    }
}
