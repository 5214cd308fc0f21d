import BiomechCore
@testable import CatalogScan
@testable import CatalogStore
import CatalogReport
import Datasets
import Database
import Foundation
import TestSupport

/// A temporary project: manifests/, data/raw/NAME/files/ with real videos, and a catalog path.
final class CatalogFixture: @unchecked Sendable {
    let folder: TemporaryFolder
    var manifests: URL { folder("manifests") }
    var data: URL { folder("data/raw") }
    var database: String { folder("catalog.sqlite").path }

    init() throws { folder = try TemporaryFolder("biomech-catalog") }

    /// Writes `manifests/NAME.yaml` with a manual-access header and the given `labels:` block.
    func manifest(_ name: String, labels: String) throws {
        try folder.write("manifests/\(name).yaml", """
            name: \(name)
            title: \(name.capitalized) test set
            homepage: https://example.org/\(name)
            license: CC BY 4.0
            commercial_use: true
            access: manual
            manual:
              form: https://example.org/\(name)/form
              instructions: place the files
            \(labels)
            """)
    }

    /// The dataset's `files/` folder.
    func files(_ dataset: String) -> URL { data.appendingPathComponent("\(dataset)/files") }

    /// A real H.264 video at `files/PATH`; `variant` makes its bytes unique (a metadata tag, remuxed).
    @discardableResult
    func video(_ dataset: String, _ path: String, variant: Int = 0) throws -> URL {
        let target = files(dataset).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let base = try Self.baseVideo()
        try Tools.require("ffmpeg", ["-v", "error", "-y", "-i", base.path, "-c", "copy", "-metadata", "comment=variant \(variant) \(path)",
                                     target.path])
        return target
    }

    /// One small H.264 MP4 made once per test process.
    static func baseVideo() throws -> URL { try madeBaseVideo.get().video }

    /// Made on first use, once: Swift runs a static initializer exactly once even when parallel tests race to it,
    /// so no test reads the file while another is still writing it.
    private static let madeBaseVideo = Result<(folder: TemporaryFolder, video: URL), Error> {
        let folder = try TemporaryFolder("biomech-catalog-base")
        return (folder, try VideoFixtures.make(.h264MP4, in: folder.url, name: "base.mp4"))
    }

    /// Runs a scan in process.
    @discardableResult
    func scan(split: SplitPolicy? = nil) throws -> CatalogScanner.Summary {
        let options = CatalogScanner.Options(data: data, manifests: manifests, database: database, jobs: 2, splits: split)
        return try CatalogScanner(options: options, console: Console(isTerminal: false)).run()
    }

    /// Runs `biomech-catalog` with `--db` pointing at this fixture's catalog.
    func cli(_ arguments: [String]) throws -> Tools.Result {
        let withDatabase = arguments.count > 0 ? [arguments[0], "--db", database] + arguments.dropFirst() : arguments
        return try Tools.run(Tools.product("biomech-catalog"), withDatabase, directory: folder.url)
    }

    /// `biomech-catalog scan` over this fixture's data and manifests.
    func cliScan() throws -> Tools.Result { try cli(["scan", "--data", data.path, "--manifests", manifests.path]) }

    func query(_ sql: String) throws -> [[SQLValue]] { try Database(path: database, mode: .readOnly).query(sql).rows }
}
