import ArgumentParser
import CatalogReport
import CatalogStore

/// Runs one SQL query on a read-only connection.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Run a read-only SQL query, e.g. \"SELECT * FROM problems\".")

    @OptionGroup var database: DatabaseOption
    @Argument(help: "The SQL statement.")
    var sql: String
    @Option(help: "Output: table, csv or json.")
    var format = ResultFormat.table

    func run() throws {
        let db = try CatalogStore.openReadOnly(database.path)
        let text = format.render(try CatalogReader.query(db, sql))
        print(text, terminator: text.unicodeScalars.last == "\n" ? "" : "\n")   // "\r\n" is one Character: hasSuffix("\n") misses it
    }
}

extension ResultFormat: ExpressibleByArgument {}
