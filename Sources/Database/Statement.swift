import CSQLite

/// A prepared SQL statement, reusable with different parameter values.
///
/// A statement keeps its `Database` open while it exists. Each call resets it, binds the values to the
/// 1-based `?` parameters (the count must match), runs it to the end and resets it again, so a statement
/// never holds a read lock between calls. Use a statement from one thread at a time.
public final class Statement {
    /// The statement's SQL as prepared.
    public let sql: String
    private let database: Database
    private let handle: OpaquePointer

    /// Prepares exactly one statement; SQL holding none, or more than one, is refused.
    init(database: Database, sql: String, persistent: Bool) throws {
        self.sql = sql
        self.database = database
        handle = try database.locked {
            var prepared: OpaquePointer?
            let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
            let rest = try sql.withCString { text -> String in
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v3(database.handle, text, -1, flags, &prepared, &tail)
                guard code == SQLITE_OK else { throw database.error(code, sql: sql) }
                return tail.map { String(cString: $0) } ?? ""
            }
            guard let prepared else {
                throw DatabaseError(path: database.path, code: SQLITE_MISUSE, message: "no SQL statement", sql: sql)
            }
            do {
                try Statement.checkNoMoreStatements(rest, database: database, sql: sql)
            } catch {
                sqlite3_finalize(prepared)
                throw error
            }
            return prepared
        }
    }

    deinit { sqlite3_finalize(handle) }

    /// Runs the statement with `values`, discarding any rows.
    public func run(_ values: [SQLValue]) throws {
        try database.locked {
            try start(values)
            defer { sqlite3_reset(handle) }
            while try step() {}
        }
    }

    /// Runs the statement with `values` and returns all its rows.
    public func rows(_ values: [SQLValue]) throws -> QueryResult {
        try database.locked {
            try start(values)
            defer { sqlite3_reset(handle) }
            var rows: [[SQLValue]] = []
            while try step() { rows.append(try row()) }
            // Names are read after stepping: a schema change re-prepares the statement.
            return QueryResult(columns: columnNames, rows: rows)
        }
    }

    /// The first column of the first row, or `.null` when there are no rows; later rows are not computed.
    func firstValue(_ values: [SQLValue]) throws -> SQLValue {
        try database.locked {
            try start(values)
            defer { sqlite3_reset(handle) }
            guard try step(), sqlite3_column_count(handle) > 0 else { return .null }
            return try value(at: 0)
        }
    }

    /// The result column names (empty for statements that return no rows).
    public var columnNames: [String] {
        database.locked {
            (0..<sqlite3_column_count(handle)).map { column in
                sqlite3_column_name(handle, column).map { String(cString: $0) } ?? ""
            }
        }
    }

    /// Resets the statement and binds `values` to its parameters.
    private func start(_ values: [SQLValue]) throws {
        // reset returns the previous run's error, which was already reported.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw DatabaseError(path: database.path, code: SQLITE_RANGE,
                                message: "expected \(expected) parameter values, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let code = bind(value, at: Int32(offset + 1))
            guard code == SQLITE_OK else { throw database.error(code, sql: sql) }
        }
    }

    private func bind(_ value: SQLValue, at index: Int32) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(handle, index)
        case .integer(let number):
            return sqlite3_bind_int64(handle, index, number)
        case .real(let number):
            return sqlite3_bind_double(handle, index, number)
        case .text(let text):
            var text = text
            // Length-counted and copied (SQLITE_TRANSIENT): the buffer is only valid inside the closure.
            return text.withUTF8 { bytes in
                guard !bytes.isEmpty else {
                    return sqlite3_bind_text64(handle, index, "", 0, biomech_sqlite_transient(), UInt8(SQLITE_UTF8))
                }
                return bytes.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text64(handle, index, $0.baseAddress, UInt64($0.count), biomech_sqlite_transient(),
                                        UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            // A NULL pointer would bind NULL, so an empty blob needs its own call.
            guard !bytes.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return bytes.withUnsafeBytes {
                sqlite3_bind_blob64(handle, index, $0.baseAddress, UInt64($0.count), biomech_sqlite_transient())
            }
        }
    }

    /// Steps once: true for a row, false when done.
    private func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(code, sql: sql)
        }
    }

    private func row() throws -> [SQLValue] {
        try (0..<sqlite3_column_count(handle)).map { try value(at: $0) }
    }

    /// The current row's value in `column`, by the storage class SQLite reports for it.
    private func value(at column: Int32) throws -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            // Pointer first, then the byte count, as SQLite documents; text may hold NUL characters.
            let text = sqlite3_column_text(handle, column)
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let text else { return try outOfMemoryOr(.text("")) }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let bytes = sqlite3_column_blob(handle, column)
            let count = Int(sqlite3_column_bytes(handle, column))
            // A zero-length blob comes back as a NULL pointer.
            guard let bytes, count > 0 else { return try outOfMemoryOr(.blob([])) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    /// `empty`, unless the NULL pointer SQLite returned meant it ran out of memory.
    private func outOfMemoryOr(_ empty: SQLValue) throws -> SQLValue {
        let code = sqlite3_errcode(database.handle)
        if code == SQLITE_NOMEM { throw database.error(code, sql: sql) }
        return empty
    }

    /// Throws unless `rest` (what follows the first statement) holds only spaces, comments and semicolons.
    private static func checkNoMoreStatements(_ rest: String, database: Database, sql: String) throws {
        var rest = rest
        while rest.contains(where: { !$0.isWhitespace && $0 != ";" }) {
            var next: OpaquePointer?
            let remaining = try rest.withCString { text -> String in
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v3(database.handle, text, -1, 0, &next, &tail)
                guard code == SQLITE_OK else { throw database.error(code, sql: sql) }
                return tail.map { String(cString: $0) } ?? ""
            }
            if next != nil {
                sqlite3_finalize(next)
                throw DatabaseError(path: database.path, code: SQLITE_MISUSE,
                                    message: "more than one SQL statement; use executeScript(_:) for scripts",
                                    sql: sql)
            }
            // Only a comment was left (the tail moved past it) or nothing moved: either way nothing more to run.
            if remaining == rest { break }
            rest = remaining
        }
    }
}
