import BiomechCore

/// A SQLite failure: names the database file, SQLite's result code and message, and the SQL when there was one.
///
/// `description` reads like
/// `catalog.sqlite: SQLITE_CONSTRAINT_FOREIGNKEY (FOREIGN KEY constraint failed) in: INSERT INTO videos ...`.
public struct DatabaseError: BiomechError, Sendable {
    /// The database file as it was given to `Database.init`.
    public var path: String
    /// SQLite's extended result code, e.g. 787 for `SQLITE_CONSTRAINT_FOREIGNKEY`.
    public var code: Int32
    /// SQLite's message for this failure (or ours, for checks made before SQLite is asked).
    public var message: String
    /// The statement or script that failed, when the failure belongs to one.
    public var sql: String?

    public init(path: String, code: Int32, message: String, sql: String? = nil) {
        self.path = path
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte), e.g. 19 (`SQLITE_CONSTRAINT`) for any constraint failure.
    public var primaryCode: Int32 { code & 0xff }

    /// The result code's name, e.g. `SQLITE_READONLY`.
    public var codeName: String { ResultCode.name(code) }

    public var exitCode: Int32 { ExitStatus.failure }

    public var description: String {
        let head = "\(path): \(codeName) (\(message))"
        guard let sql else { return head }
        return "\(head) in: \(Self.shortened(sql))"
    }

    /// `sql` on one line, cut to about 200 characters: schema scripts would otherwise swamp the message.
    static func shortened(_ sql: String, limit: Int = 200) -> String {
        let words = sql.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard words.count > limit else { return words }
        return String(words.prefix(limit)) + " ..."
    }
}
