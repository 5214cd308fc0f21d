import ArgumentParser
import BiomechCore
import Fetch
import Foundation

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
    @Option(help: "Runs of each side; the median is reported.")
    var runs = 3

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
        let server = try BenchServer(root: www)
        defer { server.stop() }
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
        let curlOut = root.appendingPathComponent("curl.bin").path
        let fetchOut = root.appendingPathComponent("out")
        for run in 1...runs {
            try? FileManager.default.removeItem(atPath: curlOut)
            curlTimes.append(try timed { try shell("curl -sS -f -o '\(curlOut)' '\(server.url("big.bin"))'") })
            curlHashTimes.append(curlTimes.last! + (try timed { try shell("sha256sum '\(curlOut)' > /dev/null") }))
            try? FileManager.default.removeItem(atPath: curlOut)
            try? FileManager.default.removeItem(at: fetchOut)
            fetchTimes.append(try timed {
                try shell("'\(bin)/biomech-fetch' --manifests '\(manifests.path)' --out '\(fetchOut.path)' > /dev/null 2>&1")
            })
            try? FileManager.default.removeItem(at: fetchOut)
            print(String(format: "download run %d: curl %.2f s, curl+sha256sum %.2f s, biomech-fetch %.2f s",
                         run, curlTimes.last!, curlHashTimes.last!, fetchTimes.last!))
        }

        // 2. Extraction: libarchive in process (what biomech-fetch runs) vs bsdtar -xf.
        var bsdtarTimes: [Double] = [], extractTimes: [Double] = []
        let bsdtarOut = root.appendingPathComponent("x-bsdtar"), oursOut = root.appendingPathComponent("x-biomech")
        for run in 1...runs {
            for folder in [bsdtarOut, oursOut] {
                try? FileManager.default.removeItem(at: folder)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            bsdtarTimes.append(try timed { try shell("bsdtar -xf '\(tarball.path)' -C '\(bsdtarOut.path)'") })
            extractTimes.append(try timed { try ArchiveExtractor().extract(tarball.path, into: oursOut.path) })
            print(String(format: "extract run %d: bsdtar %.3f s, biomech %.3f s", run, bsdtarTimes.last!, extractTimes.last!))
        }
        for folder in [bsdtarOut, oursOut] { try? FileManager.default.removeItem(at: folder) }

        let mb = Double(bytes) / 1e6
        let (curl, curlHash, fetch) = (median(curlTimes), median(curlHashTimes), median(fetchTimes))
        let (bsdtar, ours) = (median(bsdtarTimes), median(extractTimes))
        print("")
        print(Format.table(header: ["benchmark", "reference", "biomech", "ratio (biomech/reference throughput)"], rows: [
            ["download \(Format.bytes(bytes)) + sha256 (loopback)", String(format: "curl -o: %.0f MB/s", mb / curl),
             String(format: "%.0f MB/s", mb / fetch), String(format: "%.2f", curl / fetch)],
            ["  same, reference also hashes", String(format: "curl -o; sha256sum: %.0f MB/s", mb / curlHash),
             String(format: "%.0f MB/s", mb / fetch), String(format: "%.2f", curlHash / fetch)],
            ["extract tar.gz of \(files) files", String(format: "bsdtar -xf: %.0f files/s", Double(files) / bsdtar),
             String(format: "%.0f files/s", Double(files) / ours), String(format: "%.2f", bsdtar / ours)],
        ]))
        print("medians of \(runs) runs; goal: both ratios >= 0.9")
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    private func timed(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func shell(_ command: String) throws {
        let result = Subprocess.run("/bin/sh", ["-c", command])
        guard result.status == 0 else { throw ValidationError("`\(command)` failed: \(result.output)") }
    }

    /// `count` text files of 1-4 KiB in 100 folders.
    private func makeSmallFiles(count: Int, in folder: URL) throws {
        try? FileManager.default.removeItem(at: folder)
        var state: UInt64 = 12345
        for i in 0..<count {
            let dir = folder.appendingPathComponent(String(format: "d%03d", i % 100))
            if i < 100 { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = 1024 + Int(state >> 52) % 3072
            let line = "frame,x,y,z,visibility \(i) \(state)\n"
            let text = String(repeating: line, count: length / line.count + 1).prefix(length)
            try Data(text.utf8).write(to: dir.appendingPathComponent(String(format: "f%05d.csv", i)))
        }
    }
}

/// The fixture HTTP server from the test suite, started for the benchmark.
final class BenchServer {
    let process = Process()
    let port: Int

    init(root: URL) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "Tests/TestSupport/fixture_server.py", "--root", root.path, "--port", "0"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(5)) else {
            throw ValidationError("the fixture server did not start (run from the repository root)")
        }
        self.port = port
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }
    func stop() { kill(process.processIdentifier, SIGKILL) }
}
