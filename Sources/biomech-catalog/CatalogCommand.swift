import ArgumentParser
import BiomechCLI
import BiomechCore

/// `biomech-catalog`: the SQLite index of every fetched video (catalog.sqlite.sql, docs/CATALOG.md).
@main
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-catalog",
        abstract: "Index fetched videos into the SQLite catalog: probe, label, split, query, report.",
        version: BiomechVersion.string,
        subcommands: [ScanCommand.self, StatsCommand.self, QueryCommand.self, ExportCommand.self, ReportCommand.self])

    static func main() { CommandMain.run(Self.self) }
}

/// The catalog file option every subcommand shares.
struct DatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: "The catalog database.")
    var path = "catalog.sqlite"
}
