import ArgumentParser
import CatalogReport
import CatalogStore
import Foundation

/// Writes every table and view as CSV.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export every table and view as NAME.csv.")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Folder for the CSV files.")
    var csv: String

    func run() throws {
        let db = try CatalogStore.openReadOnly(database.path)
        let names = try CatalogReader.export(db, to: URL(fileURLWithPath: csv))
        print("wrote \(names.count) CSV files to \(csv): \(names.joined(separator: ", "))")
    }
}
