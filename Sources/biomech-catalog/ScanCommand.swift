import ArgumentParser
import BiomechCore
import CatalogScan
import Datasets
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
    @Option(help: "Split ratios train/val/test, e.g. 70/15/15 (default: the catalog's stored ratios, 80/10/10 for a new one). A change re-splits every video and says how many moved.")
    var split: SplitPolicy?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let options = CatalogScanner.Options(data: URL(fileURLWithPath: data), manifests: URL(fileURLWithPath: manifests),
                                             database: database.path, jobs: jobs, splits: split)
        let start = ContinuousClock.now
        let summary = try CatalogScanner(options: options, console: .shared).run()
        let seconds = (ContinuousClock.now - start).inSeconds
        print(String(format: "%d datasets, %d video files: %d probed, %d unchanged, %d removed, %d probe errors, %d warnings in %.2f s",
                     summary.datasets, summary.files, summary.probed, summary.unchanged, summary.removed, summary.probeErrors,
                     summary.warnings.count, seconds))
    }
}

extension SplitPolicy: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { text }
}
