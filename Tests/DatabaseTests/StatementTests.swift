import Database
import Testing

/// Values, statements and scripts through a real database file.
@Suite struct StatementTests {
    let fixture: DatabaseFixture
    init() throws { fixture = try DatabaseFixture() }

    @Test func everyValueKindRoundTrips() throws {
        // A column without a declared type has no affinity, so each value keeps its storage class.
        let db = try fixture.database("values.sqlite", "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
        let values: [SQLValue] = [
            .null, .integer(0), .integer(.min), .integer(.max), .integer(-1),
            .real(3.25), .real(2), .real(-1e300), .real(.infinity), .real(.leastNonzeroMagnitude),
            .text(""), .text("héllo wörld — 日本語 🏋️‍♀️"), .text("nul\u{0}inside"), .text(String(repeating: "x", count: 100_000)),
            .blob([]), .blob([0, 255, 1, 2]), .blob((0...255).map { UInt8($0) }),
        ]
        let insert = try db.prepare("INSERT INTO t(v) VALUES (?)")
        for value in values { try insert.run([value]) }

        let result = try db.query("SELECT v, typeof(v) AS kind FROM t ORDER BY id")
        #expect(result.columns == ["v", "kind"])
        #expect(result.rows.map { $0[0] } == values)
        let kinds = values.map { value -> String in
            switch value {
            case .null: "null"
            case .integer: "integer"
            case .real: "real"
            case .text: "text"
            case .blob: "blob"
            }
        }
        #expect(result.rows.map { $0[1].string } == kinds)
    }

    @Test func nanIsStoredAsNull() throws {
        // SQLite turns a bound NaN into NULL; there is no way to store one.
        let db = try fixture.database("nan.sqlite", "CREATE TABLE t(v REAL)")
        try db.execute("INSERT INTO t VALUES (?)", [.real(.nan)])
        #expect(try db.scalar("SELECT v FROM t") == .null)
        #expect(try db.scalar("SELECT typeof(v) FROM t") == "null")
    }

    @Test func realAffinityReadsBackAsReal() throws {
        let db = try fixture.database("affinity.sqlite", "CREATE TABLE t(r REAL, i INTEGER, s TEXT)")
        try db.execute("INSERT INTO t VALUES (?, ?, ?)", [2, "7", 1.5])
        let row = try db.query("SELECT r, i, s FROM t").rows[0]
        #expect(row == [.real(2), .integer(7), .text("1.5")])
    }

    @Test func preparedStatementIsReusable() throws {
        let db = try fixture.database("reuse.sqlite", "CREATE TABLE t(n INTEGER, name TEXT)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?)")
        try db.transaction {
            for n in 1...50 { try insert.run([SQLValue(n), SQLValue("row \(n)")]) }
        }
        #expect(db.changes == 1)
        #expect(db.lastInsertRowID == 50)
        let select = try db.prepare("SELECT name FROM t WHERE n > ? ORDER BY n")
        #expect(select.columnNames == ["name"])
        #expect(try select.rows([48]).rows == [["row 49"], ["row 50"]])
        #expect(try select.rows([49]).rows == [["row 50"]])
        #expect(try select.rows([50]).rows.isEmpty)
        #expect(insert.sql == "INSERT INTO t VALUES (?, ?)")
    }

    @Test func scalarOfNoRowsIsNull() throws {
        let db = try fixture.database("scalar.sqlite", "CREATE TABLE t(v)")
        #expect(try db.scalar("SELECT v FROM t") == .null)
        #expect(try db.scalar("SELECT ? + ?", [2, 3]) == 5)
        #expect(try db.query("SELECT v FROM t") == QueryResult(columns: ["v"], rows: []))
    }

    @Test func multiStatementScriptAndUserVersion() throws {
        let db = try fixture.database()
        #expect(try db.userVersion == 0)
        try db.executeScript("""
            -- a schema file: several statements, comments and a pragma
            CREATE TABLE a(x INTEGER);
            CREATE TABLE b(y TEXT);
            INSERT INTO a VALUES (1), (2);
            INSERT INTO b VALUES ('one');
            PRAGMA user_version = 7;
            """)
        #expect(try db.userVersion == 7)
        #expect(try db.count("a") == 2)
        #expect(try db.count("b") == 1)
    }

    @Test func scriptErrorNamesTheScript() throws {
        let db = try fixture.database()
        let error = try #require(throws: DatabaseError.self) {
            try db.executeScript("CREATE TABLE a(x); CREATE TABLEE b(y);")
        }
        #expect(error.codeName == "SQLITE_ERROR")
        #expect(error.message.contains("syntax error"))
        #expect(error.description.contains("CREATE TABLEE b(y)"))
        #expect(error.description.hasPrefix(fixture.path()))
    }

    @Test func oneStatementCallsRefuseScripts() throws {
        let db = try fixture.database("one.sqlite", "CREATE TABLE t(v)")
        let error = try #require(throws: DatabaseError.self) {
            try db.execute("INSERT INTO t VALUES (?); DELETE FROM t", [1])
        }
        #expect(error.description.contains("more than one SQL statement"))
        #expect(try db.count("t") == 0)
        // Trailing semicolons and comments are not statements.
        try db.execute("INSERT INTO t VALUES (?);; -- done\n", [1])
        #expect(try db.count("t") == 1)
        #expect(throws: DatabaseError.self) { try db.query("  -- nothing here\n") }
        #expect(throws: DatabaseError.self) { try db.prepare("SELECT 1; SELECT 2") }
    }

    @Test func parameterCountMustMatch() throws {
        let db = try fixture.database("params.sqlite", "CREATE TABLE t(a, b)")
        let error = try #require(throws: DatabaseError.self) { try db.execute("INSERT INTO t VALUES (?, ?)", [1]) }
        #expect(error.codeName == "SQLITE_RANGE")
        #expect(error.description.contains("expected 2 parameter values, got 1"))
        #expect(throws: DatabaseError.self) { try db.query("SELECT 1", [1]) }
    }

    @Test func longSQLIsShortenedInDescription() throws {
        let db = try fixture.database()
        let sql = "SELECT no_such_column FROM sqlite_schema WHERE name IN (\(Array(repeating: "'x'", count: 200).joined(separator: ", ")))"
        let error = try #require(throws: DatabaseError.self) { try db.query(sql) }
        #expect(error.sql == sql)
        #expect(error.description.contains("no such column: no_such_column"))
        #expect(error.description.count < 400)
        #expect(error.description.hasSuffix(" ..."))
    }

    @Test func foreignKeysAreEnforced() throws {
        let db = try fixture.database("catalog.sqlite", """
            CREATE TABLE parent(id INTEGER PRIMARY KEY);
            CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id));
            INSERT INTO parent VALUES (1);
            """)
        try db.execute("INSERT INTO child(parent_id) VALUES (?)", [1])
        let error = try #require(throws: DatabaseError.self) {
            try db.execute("INSERT INTO child(parent_id) VALUES (?)", [99])
        }
        #expect(error.codeName == "SQLITE_CONSTRAINT_FOREIGNKEY")
        #expect(error.primaryCode == 19)
        #expect(error.exitCode == 1)
        #expect(error.description.contains("FOREIGN KEY constraint failed"))
        #expect(error.description.contains("catalog.sqlite: SQLITE_CONSTRAINT_FOREIGNKEY"))
        #expect(error.description.hasSuffix("in: INSERT INTO child(parent_id) VALUES (?)"))
        #expect(try db.count("child") == 1)
    }
}
