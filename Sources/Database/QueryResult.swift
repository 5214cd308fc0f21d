/// All the rows a query returned, with its column names.
public struct QueryResult: Sendable, Equatable {
    /// The result column names, as SQLite reports them (the `AS` name when there is one).
    public var columns: [String]
    /// The rows in order; each has one value per column.
    public var rows: [[SQLValue]]

    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The values of the column called `name` (the first, when names repeat), or nil when there is none.
    public func column(_ name: String) -> [SQLValue]? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[index] }
    }
}
