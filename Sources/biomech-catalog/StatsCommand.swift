import ArgumentParser
import CatalogReport
import CatalogStore

/// Prints the per-dataset summary: videos, hours, labels and problems.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Per-dataset summary of the catalog.")

    @OptionGroup var database: DatabaseOption
    @Flag(help: "JSON instead of a table.")
    var json = false

    func run() throws {
        let db = try CatalogStore.openReadOnly(database.path)
        print(try (json ? ResultFormat.json : .table).render(CatalogReader.stats(db)))
    }
}
