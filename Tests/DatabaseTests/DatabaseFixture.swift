import Database
import Foundation
import TestSupport

/// A temporary folder for the database files of one test; removed when the test ends.
struct DatabaseFixture {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("biomech-db") }

    /// The path of `name` inside the folder.
    func path(_ name: String = "test.sqlite") -> String { folder(name).path }

    /// A new database at `name` holding `sql`.
    func database(_ name: String = "test.sqlite", _ sql: String = "") throws -> Database {
        let database = try Database(path: path(name))
        if !sql.isEmpty { try database.executeScript(sql) }
        return database
    }
}

extension Database {
    /// `SELECT count(*) FROM table`.
    func count(_ table: String) throws -> Int? { try scalar("SELECT count(*) FROM \(table)").int }
}

/// An error thrown from test code, to check that rollbacks do not depend on the error being a DatabaseError.
struct Abandon: Error {}
