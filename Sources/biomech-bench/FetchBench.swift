import ArgumentParser
import BiomechCore
import Fetch
import Foundation
import Datasets

/// Download vs `curl -o`, and extraction vs `bsdtar -xf`, on loopback, in one run.
struct FetchBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "biomech-fetch vs curl (1 GiB download) and libarchive extraction vs bsdtar (10,000 small files).")

    @Option(help: "Scratch folder (kept between runs to reuse the generated inputs).")
    var work = "bench-work"
    @Option(help: "Size of the download.")
    var size = "1G"
    @Option(help: "Number of small files in the archive.")
    var files = 10_000
    @Option(help: "Where outputs are written (default: the scratch folder); e.g. /dev/shm to leave the disk out.")
    var outputs: String?
    @Option(help: "Runs of each side; the median is reported.")
    var runs = 5

    func run() throws {
        let root = URL(fileURLWithPath: work).standardizedFileURL
        let bytes = ByteSize.parse(size) ?? (1 << 30)
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        let www = root.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)

        // Inputs, generated once and reused.
        let big = www.appendingPathComponent("big.bin")
        if ((try? FileManager.default.attributesOfItem(atPath: big.path)[.size] as? Int64) ?? 0) != bytes {
            print("generating \(Format.bytes(bytes)) of random data")
            try shell("head -c \(bytes) /dev/urandom > '\(big.path)'")
        }
        let tarball = www.appendingPathComponent("small-files.tar.gz")
        if !FileManager.default.fileExists(atPath: tarball.path) {
            print("generating a tar.gz of \(files) small files")
            try makeSmallFiles(count: files, in: root.appendingPathComponent("tree"))
            try shell("bsdtar -czf '\(tarball.path)' -C '\(root.path)/tree' .")
        }
        let server = try LoopbackServer(serving: www)
        let sha = try FileDigest.sha256(ofFile: big.path).hex
        let manifests = root.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        try """
        name: bench
        title: Benchmark file
        homepage: http://127.0.0.1/
        license: "none"
        commercial_use: false
        access: http
        files:
          - url: \(server.url("big.bin"))
            sha256: \(sha)
            extract: none
        """.write(to: manifests.appendingPathComponent("bench.yaml"), atomically: true, encoding: .utf8)

        // 1. Download: alternate the two sides so drifting machine load hits both alike.
        var curlTimes: [Double] = [], curlHashTimes: [Double] = [], fetchTimes: [Double] = []
        let target = outputs.map { URL(fileURLWithPath: $0).appendingPathComponent("biomech-bench-\(getpid())") } ?? root
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        defer { if outputs != nil { try? FileManager.default.removeItem(at: target) } }
        print("writing outputs under \(target.path)")
        let curlOut = target.appendingPathComponent("curl.bin").path
        let fetchOut = target.appendingPathComponent("out")
        for run in 1...runs {
            // Odd runs start with curl, even runs with biomech-fetch.
            for side in run % 2 == 1 ? [0, 1] : [1, 0] {
                try? FileManager.default.removeItem(atPath: curlOut)
                try? FileManager.default.removeItem(at: fetchOut)
                try settle()
                if side == 0 {
                    curlTimes.append(try timed { try shell("curl -sS -f -o '\(curlOut)' '\(server.url("big.bin"))'") })
                    curlHashTimes.append(curlTimes.last! + (try timed { try shell("sha256sum '\(curlOut)' > /dev/null") }))
                } else {
                    fetchTimes.append(try timed {
                        try shell("'\(bin)/biomech-fetch' --manifests '\(manifests.path)' --out '\(fetchOut.path)' > /dev/null 2>&1")
                    })
                }
            }
            print(String(format: "download run %d: curl %.2f s, curl+sha256sum %.2f s, biomech-fetch %.2f s",
                         run, curlTimes.last!, curlHashTimes.last!, fetchTimes.last!))
        }
        try? FileManager.default.removeItem(atPath: curlOut)
        try? FileManager.default.removeItem(at: fetchOut)

        // 2. Extraction: libarchive in process (what biomech-fetch runs) vs bsdtar -xf.
        var bsdtarTimes: [Double] = [], extractTimes: [Double] = []
        let bsdtarOut = target.appendingPathComponent("x-bsdtar"), oursOut = target.appendingPathComponent("x-biomech")
        for run in 1...runs {
            for folder in [bsdtarOut, oursOut] {
                try? FileManager.default.removeItem(at: folder)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            for side in run % 2 == 1 ? [0, 1] : [1, 0] {
                try settle()
                if side == 0 {
                    bsdtarTimes.append(try timed { try shell("bsdtar -xf '\(tarball.path)' -C '\(bsdtarOut.path)'") })
                } else {
                    extractTimes.append(try timed { try ArchiveExtractor().extract(tarball.path, into: oursOut.path) })
                }
            }
            print(String(format: "extract run %d: bsdtar %.3f s, biomech %.3f s", run, bsdtarTimes.last!, extractTimes.last!))
        }
        for folder in [bsdtarOut, oursOut] { try? FileManager.default.removeItem(at: folder) }

        let mb = Double(bytes) / 1e6
        func row(_ name: String, _ reference: String, _ ref: [Double], _ ours: [Double], _ unit: String, _ amount: Double) -> [String] {
            let (refMedian, refBest) = (median(ref), ref.min()!)
            let (ourMedian, ourBest) = (median(ours), ours.min()!)
            return [name, String(format: "%@: %.0f %@ (best %.0f)", reference, amount / refMedian, unit, amount / refBest),
                    String(format: "%.0f %@ (best %.0f)", amount / ourMedian, unit, amount / ourBest),
                    String(format: "%.2f", refMedian / ourMedian), String(format: "%.2f", refBest / ourBest)]
        }
        print("")
        print(Format.table(header: ["benchmark", "reference (median of \(runs))", "biomech (median)", "ratio", "ratio of bests"], rows: [
            row("download \(Format.bytes(bytes)) + sha256 (loopback)", "curl -o", curlTimes, fetchTimes, "MB/s", mb),
            row("  same, reference also hashes", "curl -o; sha256sum", curlHashTimes, fetchTimes, "MB/s", mb),
            row("extract tar.gz of \(files) files", "bsdtar -xf", bsdtarTimes, extractTimes, "files/s", Double(files)),
        ]))
        print("ratio = biomech throughput / reference throughput (> 1: biomech is faster); goal: >= 0.9")
        let place = outputs.map { "outputs in \($0)" } ?? "outputs on the disk"
        let download = median(curlTimes) / median(fetchTimes), hashed = median(curlHashTimes) / median(fetchTimes)
        let unpack = median(bsdtarTimes) / median(extractTimes)
        BenchResults.record("fetch", "download \(Format.bytes(bytes)) with SHA-256, \(place)", value: download, unit: "x",
                            reference: "curl -o", goal: ">= 0.9", met: download >= 0.9)
        BenchResults.record("fetch", "  the same against curl -o; sha256sum, \(place)", value: hashed, unit: "x", reference: "curl -o; sha256sum")
        BenchResults.record("fetch", "unpack \(files) files, \(place)", value: unpack, unit: "x", reference: "bsdtar -xf", goal: ">= 0.9", met: unpack >= 0.9)
    }

    /// Flushes dirty pages so writeback from one step is not billed to the next.
    private func settle() throws { try shell("sync") }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    private func timed(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return elapsed.inSeconds
    }

    private func shell(_ command: String) throws {
        let result = Subprocess.run("/bin/sh", ["-c", command])
        guard result.status == 0 else { throw ValidationError("`\(command)` failed: \(result.output)") }
    }

    /// `count` text files of 1-4 KiB in 100 folders.
    private func makeSmallFiles(count: Int, in folder: URL) throws {
        try? FileManager.default.removeItem(at: folder)
        var random = SeededRandom(seed: 12345)
        for i in 0..<count {
            let dir = folder.appendingPathComponent(String(format: "d%03d", i % 100))
            if i < 100 { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
            let state = random.next()
            let length = 1024 + Int(state >> 52) % 3072
            let line = "frame,x,y,z,visibility \(i) \(state)\n"
            let text = String(repeating: line, count: length / line.count + 1).prefix(length)
            try Data(text.utf8).write(to: dir.appendingPathComponent(String(format: "f%05d.csv", i)))
        }
    }
}
