import BiomechCore

/// One result row read by column name, with typed accessors that throw when a value is missing or of the wrong type.
///
/// Catalogs are edited by hand (the README invites it), so a NULL or a text where a number belongs must
/// give an error naming the table, the column and the row, not a crash.
public struct Record: Sendable {
    /// The table (or view) the row came from, for messages.
    public let table: String
    /// The database file, for messages.
    public let path: String
    let columns: [String: Int]
    public let values: [SQLValue]

    /// The raw value of `column`; throws when the query did not select it (a programming error, reported plainly).
    public func value(_ column: String) throws -> SQLValue {
        guard let index = columns[column] else {
            throw RecordError(self, column, "is not among the selected columns (\(columns.keys.sorted().joined(separator: ", ")))")
        }
        return values[index]
    }

    /// The integer in `column`; NULL, text or a fractional real is an error.
    public func int(_ column: String) throws -> Int {
        guard let value = try optionalInt(column) else { throw RecordError(self, column, "is NULL; expected an integer") }
        return value
    }

    /// The integer in `column`, or nil for NULL.
    public func optionalInt(_ column: String) throws -> Int? {
        let value = try value(column)
        switch value {
        case .null: return nil
        case .integer(let n): if let int = Int(exactly: n) { return int }
        case .real(let x): if let int = Int(exactly: x) { return int }
        default: break
        }
        throw RecordError(self, column, "holds \(Self.describe(value)); expected an integer")
    }

    /// The number in `column` (integers convert); NULL or text is an error.
    public func double(_ column: String) throws -> Double {
        guard let value = try optionalDouble(column) else { throw RecordError(self, column, "is NULL; expected a number") }
        return value
    }

    /// The number in `column`, or nil for NULL.
    public func optionalDouble(_ column: String) throws -> Double? {
        let value = try value(column)
        if value.isNull { return nil }
        guard let number = value.double else { throw RecordError(self, column, "holds \(Self.describe(value)); expected a number") }
        return number
    }

    /// The text in `column`; NULL or a number is an error.
    public func string(_ column: String) throws -> String {
        guard let value = try optionalString(column) else { throw RecordError(self, column, "is NULL; expected text") }
        return value
    }

    /// The text in `column`, or nil for NULL.
    public func optionalString(_ column: String) throws -> String? {
        let value = try value(column)
        if value.isNull { return nil }
        guard let text = value.string else { throw RecordError(self, column, "holds \(Self.describe(value)); expected text") }
        return text
    }

    /// A value's storage class and a short rendering, e.g. `text 'abc'`.
    static func describe(_ value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let n): return "integer \(n)"
        case .real(let x): return "real \(x)"
        case .text(let t): return "text '\(t.prefix(40))'"
        case .blob(let b): return "a blob of \(b.count) bytes"
        }
    }
}

extension QueryResult {
    /// The rows as records of `table`, for reading columns by name.
    public func records(table: String, path: String = "") -> [Record] {
        var index: [String: Int] = [:]
        for (i, name) in columns.enumerated() where index[name] == nil { index[name] = i }
        return rows.map { Record(table: table, path: path, columns: index, values: $0) }
    }
}

/// A catalog row whose value does not fit what the program expects: names the file, table, column and row.
public struct RecordError: BiomechError, Sendable {
    public var path: String, table: String, column: String, rowID: String?, problem: String

    public init(_ record: Record, _ column: String, _ problem: String) {
        path = record.path
        table = record.table
        self.column = column
        rowID = record.columns["id"].map { record.values[$0].display }
        self.problem = problem
    }

    public var exitCode: Int32 { ExitStatus.failure }

    public var description: String {
        let row = rowID.map { " (row id \($0))" } ?? ""
        let file = path.isEmpty ? "" : "\(path): "
        return "\(file)\(table).\(column)\(row) \(problem); fix the row (e.g. with sqlite3) or re-scan"
    }
}
