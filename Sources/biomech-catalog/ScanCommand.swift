import ArgumentParser
import BiomechCore
import Catalog
import Foundation

/// Walks data/raw/*/files, probes new or changed videos with libavformat, labels and splits them.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Catalogue every dataset's videos (incremental: unchanged files are not probed again).")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Folder holding one folder per dataset (NAME/files, NAME/FETCHED.json).")
    var data = "data/raw"
    @Option(help: "Folder of dataset manifests (NAME.yaml).")
    var manifests = "manifests"
    @Option(help: "Probing threads.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Split ratios train/val/test, e.g. 80/10/10; a change re-splits every video.")
    var split = "80/10/10"

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard SplitPolicy(split) != nil else { throw ValidationError("--split: expected three non-negative numbers like 80/10/10, got '\(split)'") }
    }

    func run() throws {
        let options = CatalogScanner.Options(data: URL(fileURLWithPath: data), manifests: URL(fileURLWithPath: manifests),
                                             database: database.path, jobs: jobs, splits: SplitPolicy(split)!)
        let start = ContinuousClock.now
        let summary = try CatalogScanner(options: options, console: .shared).run()
        let seconds = (ContinuousClock.now - start).inSeconds
        print(String(format: "%d datasets, %d video files: %d probed, %d unchanged, %d removed, %d probe errors, %d warnings in %.2f s",
                     summary.datasets, summary.files, summary.probed, summary.unchanged, summary.removed, summary.probeErrors,
                     summary.warnings.count, seconds))
    }
}
