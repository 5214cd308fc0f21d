import CatalogStore
import Database
import Foundation
import TestSupport

/// A catalogued dataset of real videos for the extract tests, and the way to run `biomech-extract` on it.
///
/// `demo/files/` holds the Sports2D video (`jumping_jack/demo.mp4`, 230 frames with a person), a
/// 45-frame H.264 cut of it (`jumping_jack/short.mp4`), a test pattern with nobody in it
/// (`pattern.mp4`, 60 frames) and the first 100 kB of the Sports2D file (`cut.mp4`, which probes but
/// does not decode). Paths sort in that order: cut, demo, short, pattern.
struct ExtractFixture {
    let folder: TemporaryFolder
    var data: URL { folder("raw") }
    var catalog: URL { folder("catalog.sqlite") }
    var output: URL { folder("landmarks") }
    var files: URL { folder("raw/demo/files") }

    init(extraCopies: Int = 0) throws {
        try MediaPipeFixture.requireDemoVideo()
        folder = try TemporaryFolder("biomech-extract")
        let demo = MediaPipeFixture.demoVideo
        try FileManager.default.createDirectory(at: files.appendingPathComponent("jumping_jack"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: demo, to: files.appendingPathComponent("jumping_jack/demo.mp4"))
        try VideoFixtures.ffmpeg(["-i", demo.path, "-frames:v", "45", "-vf", "scale=640:-2", "-c:v", "libx264", "-pix_fmt", "yuv420p"],
                                 to: files.appendingPathComponent("jumping_jack/short.mp4"))
        for copy in 0..<extraCopies {
            // Distinct bytes (another start), so the catalog does not mark them duplicates.
            try VideoFixtures.ffmpeg(["-ss", "\(Double(copy + 1) * 0.2)", "-i", demo.path, "-frames:v", "120", "-vf", "scale=640:-2",
                                      "-c:v", "libx264", "-pix_fmt", "yuv420p"],
                                     to: files.appendingPathComponent("jumping_jack/copy\(copy).mp4"))
        }
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "2", "-pix_fmt", "yuv420p"],
                                 to: files.appendingPathComponent("pattern.mp4"))
        try Data(contentsOf: demo).prefix(100_000).write(to: files.appendingPathComponent("cut.mp4"))
        _ = try folder.write("manifests/demo.yaml", """
            name: demo
            title: extract test videos
            homepage: https://example.org
            license: "test"
            commercial_use: true
            access: manual
            manual:
              form: https://example.org/form
              instructions: |
                none
              expect:
                - path: x.zip
            labels:
              exercise:
                - regex: "^(?<label>[^/]+)/"
            """)
        try Tools.require(Tools.product("biomech-catalog"), ["scan", "--db", catalog.path, "--data", data.path,
                                                              "--manifests", folder("manifests").path])
    }

    /// `biomech-extract` with the fixture's catalog, data and output, then `arguments`.
    func arguments(_ more: [String]) -> [String] {
        ["--db", catalog.path, "--data", data.path, "--out", output.path] + more
    }

    /// Runs `biomech-extract` to completion, from the repository root (where `.mediapipe/` is).
    func extract(_ more: [String], environment: [String: String] = [:]) throws -> Tools.Result {
        try Tools.run(Tools.product("biomech-extract"), arguments(more), environment: environment, directory: MediaPipeFixture.root)
    }

    /// The catalog's `sequences` rows by video path.
    func sequences() throws -> [String: SequenceRow] {
        let db = try CatalogStore.open(catalog.path)
        let table = SequenceTable(db)
        var out: [String: SequenceRow] = [:]
        for row in try db.records("SELECT id, path FROM videos", table: "videos") {
            if let sequence = try table.row(videoID: Int64(try row.int("id"))) { out[try row.string("path")] = sequence }
        }
        return out
    }

    /// The catalog id of the video at `path`.
    func videoID(_ path: String) throws -> Int64 {
        let db = try CatalogStore.open(catalog.path)
        guard let id = try db.scalar("SELECT id FROM videos WHERE path = ?", [SQLValue(path)]).int else {
            throw FixtureError("no video \(path) in \(catalog.path)")
        }
        return Int64(id)
    }

    /// Every file under the output folder, relative to it.
    func outputFiles() -> [String] {
        let base = output.standardizedFileURL.path + "/"
        let walker = FileManager.default.enumerator(at: output, includingPropertiesForKeys: nil)
        var out: [String] = []
        while let url = walker?.nextObject() as? URL {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                out.append(String(url.standardizedFileURL.path.dropFirst(base.count)))
            }
        }
        return out.sorted()
    }
}
