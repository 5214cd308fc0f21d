import CSQLite
import Foundation

/// An open SQLite connection.
///
/// The connection is opened with `SQLITE_OPEN_FULLMUTEX` (SQLite's serialized mode), and every call here holds
/// the connection's mutex, so the object is safe to hand between threads; `interrupt()` is meant to be called
/// from another thread. A transaction, `changes` and `lastInsertRowID` belong to the whole connection, though,
/// so give each thread of work its own connection rather than sharing one.
///
/// Every connection has foreign keys enforced, extended result codes on and a 5 second busy timeout.
/// Closing (deinit) rolls back a transaction that was never committed.
public final class Database: @unchecked Sendable {
    /// How a database file is opened.
    public enum Mode: Sendable {
        /// Reads only: the file must exist, and writes fail with `SQLITE_READONLY`.
        case readOnly
        /// Reads and writes an existing file.
        case readWrite
        /// Reads and writes, creating the file when it is missing.
        case create
    }

    /// The database file as given (`:memory:` for an in-memory database).
    public let path: String
    public let mode: Mode
    /// The connection; only `Statement` and this type touch it.
    let handle: OpaquePointer

    /// Opens (or with `.create`, creates) the database at `path`.
    ///
    /// Throws a `DatabaseError` naming the path when the file is missing (except with `.create`), cannot be
    /// opened, or is not a SQLite database.
    public init(path: String, mode: Mode = .create) throws {
        self.path = path
        self.mode = mode
        let inMemory = path.isEmpty || path == ":memory:"
        // SQLite says only "unable to open database file" for a missing file: say which problem it is.
        if mode != .create, !inMemory, !FileManager.default.fileExists(atPath: path) {
            throw DatabaseError(path: path, code: SQLITE_CANTOPEN, message: "file does not exist")
        }
        // No SQLITE_OPEN_URI: a path is always a file name, never a `file:` URI with options.
        var flags = SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            var message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? ResultCode.text(code)
            sqlite3_close_v2(opened)
            if code & 0xff == SQLITE_CANTOPEN { message += Self.openProblem(path) }
            throw DatabaseError(path: path, code: code, message: message)
        }
        handle = opened
        // From here a throw runs deinit, which closes the handle.
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 5000)
        try executeScript("PRAGMA foreign_keys = ON")
        if mode == .readOnly { try executeScript("PRAGMA query_only = ON") }
        do {
            // Opening reads nothing; reading the schema now makes a file that is not a database fail here.
            _ = try scalar("SELECT count(*) FROM sqlite_schema")
        } catch var error as DatabaseError {
            error.sql = nil
            throw error
        }
        guard try scalar("PRAGMA foreign_keys") == 1 else {
            throw DatabaseError(path: path, code: SQLITE_ERROR, message: "this SQLite cannot enforce foreign keys")
        }
    }

    deinit {
        // Statements retain their Database, so only stray ones can be left; finalize them so the close is immediate.
        while let statement = sqlite3_next_stmt(handle, nil) { sqlite3_finalize(statement) }
        // Closing rolls back as well; doing it first keeps an uncommitted transaction from outliving this object.
        if sqlite3_get_autocommit(handle) == 0 { sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
        sqlite3_close_v2(handle)
    }

    /// Runs a script of one or more `;`-separated statements without parameters (the schema file, pragmas).
    ///
    /// Statements before a failing one stay done unless the script runs inside `transaction`. For one
    /// statement with values, use `execute(_:_:)`, which refuses a second statement.
    public func executeScript(_ sql: String) throws {
        try locked {
            var message: UnsafeMutablePointer<CChar>?
            let code = sqlite3_exec(handle, sql, nil, nil, &message)
            defer { sqlite3_free(message) }
            guard code == SQLITE_OK else {
                let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
                throw DatabaseError(path: path, code: code, message: text, sql: sql)
            }
        }
    }

    /// Runs exactly one statement with `?` parameters bound to `values`, discarding any rows.
    public func execute(_ sql: String, _ values: [SQLValue] = []) throws {
        try Statement(database: self, sql: sql, persistent: false).run(values)
    }

    /// Prepares one statement to run many times.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql, persistent: true)
    }

    /// Runs one statement and returns all its rows.
    public func query(_ sql: String, _ values: [SQLValue] = []) throws -> QueryResult {
        try Statement(database: self, sql: sql, persistent: false).rows(values)
    }

    /// Runs one query and returns its rows as records of `table`, whose columns are read by name.
    public func records(_ sql: String, _ values: [SQLValue] = [], table: String) throws -> [Record] {
        try query(sql, values).records(table: table, path: path)
    }

    /// The first column of the first row, or `.null` when there are no rows.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue {
        try Statement(database: self, sql: sql, persistent: false).firstValue(values)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: commits when it returns, rolls back and rethrows when it throws.
    ///
    /// Transactions do not nest: calling this while a transaction is open (this one, or a `BEGIN` run by hand)
    /// throws `SQLITE_MISUSE` without running `body`. The connection stays locked to the calling thread until
    /// the transaction ends.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try locked {
            guard sqlite3_get_autocommit(handle) != 0 else {
                throw DatabaseError(path: path, code: SQLITE_MISUSE,
                                    message: "a transaction is already open; transactions do not nest")
            }
            // IMMEDIATE takes the write lock now, so a busy database fails (after the timeout) before any work.
            try executeScript("BEGIN IMMEDIATE")
            do {
                let result = try body()
                try executeScript("COMMIT")
                return result
            } catch {
                // SQLite has already rolled back after some errors (e.g. SQLITE_FULL); ROLLBACK would then fail.
                if sqlite3_get_autocommit(handle) == 0 { sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
                throw error
            }
        }
    }

    /// `PRAGMA user_version`: the schema version the application stored.
    public var userVersion: Int {
        get throws { try scalar("PRAGMA user_version").int ?? 0 }
    }

    /// The rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { locked { Int(sqlite3_changes64(handle)) } }

    /// The rowid of the most recent successful INSERT on this connection (0 when there was none).
    public var lastInsertRowID: Int64 { locked { sqlite3_last_insert_rowid(handle) } }

    /// Makes the running statement (and any started before it ends) fail with `SQLITE_INTERRUPT`; callable
    /// from any thread while the connection is open, a no-op when nothing runs.
    public func interrupt() { sqlite3_interrupt(handle) }

    /// Runs `body` holding the connection's (recursive) mutex, so a call and the error message it leaves
    /// are not interleaved with another thread's.
    func locked<R>(_ body: () throws -> R) rethrows -> R {
        let mutex = sqlite3_db_mutex(handle)
        sqlite3_mutex_enter(mutex)
        defer { sqlite3_mutex_leave(mutex) }
        return try body()
    }

    /// The error for a failed call that returned `code`, with SQLite's current message.
    func error(_ code: Int32, sql: String?) -> DatabaseError {
        DatabaseError(path: path, code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Why a file could not be opened, when it is something SQLite does not say.
    private static func openProblem(_ path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
            return ": folder \(folder) does not exist"
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            return ": it is a folder"
        }
        return ""
    }
}
