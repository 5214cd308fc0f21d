import ArgumentParser
import CatalogReport
import CatalogStore
import Foundation

/// Writes a Markdown dataset card with charts per dataset.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Dataset cards: Markdown with PNG charts, one per dataset.")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Output folder.")
    var out = "reports/catalog"

    func run() throws {
        let db = try CatalogStore.openReadOnly(database.path)
        let written = try DatasetReport.writeAll(db, to: URL(fileURLWithPath: out))
        print("wrote \(written.count) dataset cards to \(out)")
    }
}
