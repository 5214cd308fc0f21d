import ArgumentParser
import BiomechCore
import CatalogScan
import CatalogStore
import Foundation

/// biomech-catalog against one ffprobe process per file, and the cost of an unchanged re-scan.
struct CatalogBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Catalog scan of 500 small videos vs one ffprobe per file (goal >= 5x); unchanged re-scan of 10,000 files (goal < 2 s).")

    @Option(help: "Scratch folder.")
    var work = "bench-work"
    @Option(help: "Videos probed in the side-by-side run.")
    var videos = 500
    @Option(help: "Files in the re-scan run.")
    var rescanFiles = 10_000
    @Option(help: "Runs; the median is reported.")
    var runs = 3

    func run() throws {
        let jobs = ProcessInfo.processInfo.activeProcessorCount
        let root = URL(fileURLWithPath: work).appendingPathComponent("catalog")
        try? FileManager.default.removeItem(at: root)
        let base = root.appendingPathComponent("base.mp4")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try shell("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=2", "-c:v", "libx264",
                             "-preset", "ultrafast", "-pix_fmt", "yuv420p", base.path])
        let small = try project(root.appendingPathComponent("small"), files: videos, from: base)
        let paths = try FileManager.default.subpathsOfDirectory(atPath: small.files.path).filter { $0.hasSuffix(".mp4") }
            .map { small.files.appendingPathComponent($0).path }

        var ours: [Double] = [], theirs: [Double] = []
        for run in 1...runs {
            try? FileManager.default.removeItem(atPath: small.database)
            ours.append(try time { _ = try scan(small, jobs: jobs) })
            theirs.append(try time {
                let failures = Parallel.map(paths, jobs: jobs) { path in
                    Subprocess.run("/usr/bin/env", ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path]).status
                }
                guard failures.allSatisfy({ $0 == 0 }) else { throw CatalogError(small.files.path, "ffprobe failed on some files") }
            })
            print(String(format: "run %d: catalog scan %.2f s, ffprobe per file %.2f s", run, ours.last!, theirs.last!))
        }

        let big = try project(root.appendingPathComponent("big"), files: rescanFiles, from: base)
        print("cataloguing \(rescanFiles) files once for the re-scan run ...")
        _ = try scan(big, jobs: jobs)
        var rescans: [Double] = []
        for run in 1...runs {
            var probed = 0
            rescans.append(try time { probed = try scan(big, jobs: jobs).probed })
            print(String(format: "re-scan %d: %d files, %d probed, %.2f s", run, rescanFiles, probed, rescans.last!))
        }
        try? FileManager.default.removeItem(at: root)

        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        print("")
        let speedup = median(theirs) / median(ours)
        BenchResults.record("catalog", "scan \(videos) videos", value: speedup, unit: "x", reference: "one ffprobe per file", goal: ">= 5x", met: speedup >= 5)
        BenchResults.record("catalog", "unchanged re-scan of \(rescanFiles) files", value: median(rescans), unit: "s", goal: "< 2 s", met: median(rescans) < 2)
        print(Format.table(header: ["benchmark", "biomech", "reference", "ratio", "goal"], rows: [
            ["probe \(videos) videos, \(jobs) threads", String(format: "%.2f s", median(ours)), String(format: "%.2f s (ffprobe per file)", median(theirs)),
             String(format: "%.1fx", median(theirs) / median(ours)), ">= 5x"],
            ["unchanged re-scan of \(rescanFiles) files", String(format: "%.2f s", median(rescans)), "-", "-", "< 2 s"],
        ]))
    }

    struct Project { var manifests: URL, data: URL, files: URL, database: String }

    /// A manifest and `files` hard links to one video, 25 per subject folder.
    func project(_ folder: URL, files count: Int, from base: URL) throws -> Project {
        let p = Project(manifests: folder.appendingPathComponent("manifests"), data: folder.appendingPathComponent("data"),
                        files: folder.appendingPathComponent("data/bench/files"), database: folder.appendingPathComponent("catalog.sqlite").path)
        try FileManager.default.createDirectory(at: p.manifests, withIntermediateDirectories: true)
        try Data("""
            name: bench
            title: Benchmark videos
            homepage: https://example.org
            license: CC0
            commercial_use: true
            access: generated
            generated:
              command: biomech-bench catalog
            labels:
              exercise:
                - regex: "^(?<label>[^/]+)/"
              group:
                - regex: "(?<key>subject\\\\d+)"
            """.utf8).write(to: p.manifests.appendingPathComponent("bench.yaml"))
        for i in 0..<count {
            let target = p.files.appendingPathComponent("squat/subject\(i / 25)/take\(i % 25).mp4")
            if i % 25 == 0 { try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true) }
            try FileManager.default.linkItem(at: base, to: target)
        }
        return p
    }

    func scan(_ p: Project, jobs: Int) throws -> CatalogScanner.Summary {
        let options = CatalogScanner.Options(data: p.data, manifests: p.manifests, database: p.database, jobs: jobs)
        return try CatalogScanner(options: options, console: Console(isTerminal: false)).run()
    }

    func time(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).inSeconds
    }

    func shell(_ program: String, _ arguments: [String]) throws {
        let result = Subprocess.run("/usr/bin/env", [program] + arguments)
        guard result.status == 0 else { throw CatalogError(program, "failed: \(result.output)") }
    }
}
