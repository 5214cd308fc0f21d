import ArgumentParser
import BiomechCore
import Foundation
import NumPy
import Shards
#if canImport(Glibc)
import Glibc
#endif

/// ShardReader's random-access batches against NumPy (`np.load(mmap_mode='r')` and fancy indexing),
/// and the peak memory of both as the folder grows tenfold.
///
/// Each read phase runs in a child process of its own (`shards read`, or the Python script), so its
/// peak RSS (VmHWM) is the read phase's alone and not the writer's or the parent's. Both sides read
/// the same folder and the same indices (one `.npy`), and report a checksum of what they read, which
/// must agree.
struct ShardsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shards",
        abstract: "ShardReader random batches vs NumPy mmap + fancy indexing (goal >= 1x), and peak memory with a 10x larger folder (goal: flat).",
        subcommands: [Read.self])

    @Option(help: "Scratch folder.")
    var work = "bench-work"
    @Option(help: "Windows in the smaller folder.")
    var windows = 20_000
    @Option(help: "How many times larger the second folder is.")
    var scale = 10
    @Option(help: "Frames per window.")
    var window = 60
    @Option(help: "Windows per shard.")
    var shardSize = 1024
    @Option(help: "Windows read, at uniformly random global indices.")
    var reads = 100_000
    @Option(help: "Windows per batch.")
    var batch = 64
    @Option(help: "Warm runs of each side; the median is reported.")
    var runs = 3
    @Option(help: "Seed of the windows and the indices.")
    var seed: UInt64 = 42
    @Option(help: "A Python with numpy (default: python3 on PATH, else .mediapipe/venv/bin/python).")
    var python: String?
    @Flag(help: "Keep the shard folders (several GB) instead of removing them.")
    var keep = false

    func run() throws {
        let root = URL(fileURLWithPath: work).standardizedFileURL.appendingPathComponent("shards")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let script = root.appendingPathComponent("read_numpy.py")
        try Data(Self.numpyScript.utf8).write(to: script)
        let numpy = findNumPy()
        print(numpy.map { "NumPy side: \($0.python) (numpy \($0.version))" } ?? "no Python with numpy found: NumPy side skipped")

        var sizes: [SizeResult] = []
        for n in [windows, windows * scale] {
            let base = root.appendingPathComponent("w\(n)")
            try? FileManager.default.removeItem(at: base)
            let folder = base.appendingPathComponent("train")
            var result = SizeResult(windows: n)
            result.writeSeconds = try timed { try writeFolder(folder, windows: n) }
            result.bytes = try folderBytes(folder)
            print(String(format: "wrote %@ windows (%@) in %.1f s: %.0f windows/s, %.0f MB/s (sha256 and fsync included)",
                         Format.count(Int64(n)), Format.bytes(result.bytes), result.writeSeconds,
                         Double(n) / result.writeSeconds, Double(result.bytes) / 1e6 / result.writeSeconds))

            var random = SeededRandom(seed: seed, stream: 1)
            let indices = (0..<reads).map { _ in Int64(random.next() % UInt64(n)) }
            let indicesFile = base.appendingPathComponent("indices.npy")
            try NPYFile.write(NPYTypedArray(shape: [reads], values: indices), to: indicesFile)
            result.distinct = Set(indices).count
            let rowBytes = ShardArray.allCases.reduce(0) { $0 + $1.rowByteCount(window: window) }
            print("  \(Format.count(Int64(reads))) reads touch \(Format.count(Int64(result.distinct))) distinct windows "
                  + "(\(Format.bytes(Int64(result.distinct * rowBytes))) of window data)")

            // Cold: this folder's pages dropped from the page cache before each side.
            let sides: [(String, () throws -> ReadResult)] = [
                ("ShardReader", { try readSwift(folder, indicesFile) }),
            ] + (numpy.map { found in [("NumPy", { try readNumPy(found.python, script, folder, indicesFile) })] } ?? [])
            for (name, read) in sides {
                Cache.evict(folder)
                let before = Cache.residentFraction(folder)
                let r = try read()
                result.cold[name] = r
                print(String(format: "  cold  %@ %8.0f windows/s  (%.0f%% of the folder cached before; VmHWM %@)",
                             name.padding(toLength: 11, withPad: " ", startingAt: 0), r.rate, before * 100, Format.bytes(r.hwmKB * 1024)))
            }
            // Warm: the whole folder read once, so both sides find every page cached.
            Cache.prewarm(folder)
            print(String(format: "  warm: %.0f%% of the folder cached", Cache.residentFraction(folder) * 100))
            for run in 1...runs {
                for (name, read) in run % 2 == 1 ? sides : sides.reversed() {
                    let r = try read()
                    result.warm[name, default: []].append(r)
                    print(String(format: "  warm  %@ %8.0f windows/s  run %d  (VmHWM %@, private %@ (%@ once open), file pages %@)",
                                 name.padding(toLength: 11, withPad: " ", startingAt: 0), r.rate, run,
                                 Format.bytes(r.hwmKB * 1024), Format.bytes(r.anonKB * 1024), Format.bytes(r.openPrivateKB * 1024),
                                 Format.bytes(r.fileKB * 1024)))
                }
            }
            let sums = Set(result.cold.values.map(\.checksum) + result.warm.values.flatMap { $0.map(\.checksum) })
            guard sums.count == 1 else { throw ValidationError("the sides read different data: checksums \(sums.sorted())") }
            sizes.append(result)
            if !keep { try? FileManager.default.removeItem(at: base) }
        }
        report(sizes, numpy: numpy != nil)
    }

    // MARK: Report

    struct SizeResult {
        var windows: Int
        var writeSeconds = 0.0
        var bytes: Int64 = 0
        var distinct = 0
        var cold: [String: ReadResult] = [:]
        var warm: [String: [ReadResult]] = [:]

        func median(_ side: String) -> ReadResult? {
            guard let runs = warm[side], !runs.isEmpty else { return nil }
            return runs.sorted { $0.rate < $1.rate }[runs.count / 2]
        }
        /// The highest peak over all of a side's runs.
        func peak(_ side: String) -> ReadResult? {
            (warm[side] ?? []).max { $0.hwmKB < $1.hwmKB }
        }
    }

    private func report(_ sizes: [SizeResult], numpy: Bool) {
        func rate(_ r: ReadResult?) -> String { r.map { String(format: "%.0f", $0.rate) } ?? "-" }
        func ratio(_ ours: ReadResult?, _ theirs: ReadResult?) -> [String] {
            guard let ours, let theirs else { return ["-", "-"] }
            let value = ours.rate / theirs.rate
            return [String(format: "%.2fx", value), value >= 1 ? "ok" : "MISSED"]
        }
        var rows: [[String]] = []
        for size in sizes {
            let label = "\(Format.count(Int64(size.windows))) windows (\(Format.bytes(size.bytes)))"
            rows.append([label + ", warm (median of \(runs))", rate(size.median("ShardReader")), rate(size.median("NumPy"))]
                        + ratio(size.median("ShardReader"), size.median("NumPy")))
            rows.append([label + ", cold (1 run)", rate(size.cold["ShardReader"]), rate(size.cold["NumPy"])]
                        + ratio(size.cold["ShardReader"], size.cold["NumPy"]))
            if let ours = size.median("ShardReader"), let theirs = size.median("NumPy") {
                BenchResults.record("shards", "\(Format.count(Int64(reads))) random windows, \(Format.count(Int64(size.windows)))-window folder, warm",
                                    value: ours.rate / theirs.rate, unit: "x", reference: "np.load(mmap_mode='r') + np.take", goal: ">= 1x",
                                    met: ours.rate >= theirs.rate)
            }
        }
        print("")
        print("random-access reads: \(Format.count(Int64(reads))) windows of \(window) frames in batches of \(batch), windows/s")
        print(Format.table(header: ["folder", "ShardReader", "NumPy", "ratio", "goal >= 1x"], rows: rows))

        func kb(_ value: Int64?) -> String { value.map { Format.bytes($0 * 1024) } ?? "-" }
        var memory: [[String]] = []
        for size in sizes {
            for side in ["ShardReader"] + (numpy ? ["NumPy"] : []) {
                let p = size.peak(side)
                memory.append(["\(Format.count(Int64(size.windows))) windows", side, kb(p?.baselineKB), kb(p?.hwmKB), kb(p?.anonKB), kb(p?.fileKB)])
            }
        }
        print("")
        print("peak memory of the read phase (child process; warm runs, highest VmHWM of \(runs))")
        print(Format.table(header: ["folder", "reader", "RSS at start", "peak RSS (VmHWM)", "private (peak, sampled)", "file pages (RssFile, end)"],
                           rows: memory))
        guard sizes.count == 2 else { return }
        let added = sizes[1].bytes - sizes[0].bytes
        var growth: [[String]] = []
        for side in ["ShardReader"] + (numpy ? ["NumPy"] : []) {
            guard let small = sizes[0].peak(side), let large = sizes[1].peak(side) else { continue }
            let more = (large.anonKB - small.anonKB) * 1024
            if side == "ShardReader" {
                BenchResults.record("shards", "ShardReader private memory growth, \(scale)x the folder", value: Double(more) / 1_048_576, unit: "MiB",
                                    goal: "< 1% of the data added (\(Format.bytes(added / 100)))", met: Double(more) < 0.01 * Double(added))
            }
            growth.append([side, "\(kb(small.anonKB)) -> \(kb(large.anonKB))", (more >= 0 ? "+" : "") + Format.bytes(more),
                           Double(more) < 0.01 * Double(added) ? "ok" : "MISSED", "\(kb(small.hwmKB)) -> \(kb(large.hwmKB))"])
        }
        print("")
        print("growth with a \(scale)x larger folder (\(Format.bytes(added)) more data, same \(Format.count(Int64(reads))) reads; "
              + "distinct windows touched \(Format.count(Int64(sizes[0].distinct))) -> \(Format.count(Int64(sizes[1].distinct))))")
        print(Format.table(header: ["reader", "private memory", "growth", "goal: flat (growth < 1% of the data added)", "peak RSS (VmHWM)"],
                           rows: growth))
        print("""

            Peak RSS counts the mapped file pages a process touched (and the kernel's fault-around neighbours): page
            cache, shared and reclaimable under memory pressure, which grows with the distinct windows touched, up to
            the folder's size. Private memory is what the reader itself allocates: buffers, and the index (O(shards)).
            "cold" drops this folder's pages with posix_fadvise(DONTNEED) before each side; the VM's host may still
            cache the disk, so cold figures may be better than a real cold read.
            """)
    }

    // MARK: Sides

    struct ReadResult: Codable {
        var seconds: Double
        var openSeconds: Double
        /// Private memory once the folder is open, before the reads.
        var openPrivateKB: Int64
        var windows: Int
        /// Hex, so no JSON number loses bits.
        var checksum: String
        /// VmRSS before the reader opened anything.
        var baselineKB: Int64
        /// VmHWM: the peak RSS, mapped file pages included.
        var hwmKB: Int64
        /// The peak private (anonymous) memory, sampled every 16 batches and at the end.
        var anonKB: Int64
        /// The mapped file pages at the end (RssFile).
        var fileKB: Int64

        var rate: Double { Double(windows) / seconds }

        enum CodingKeys: String, CodingKey {
            case seconds, windows, checksum
            case openSeconds = "open_seconds", openPrivateKB = "open_private_kb", baselineKB = "baseline_kb", hwmKB = "hwm_kb", anonKB = "anon_kb", fileKB = "file_kb"
        }
    }

    private func readSwift(_ folder: URL, _ indices: URL) throws -> ReadResult {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return try child(me, ["shards", "read", "--folder", folder.path, "--indices", indices.path, "--batch", "\(batch)"])
    }

    private func readNumPy(_ python: String, _ script: URL, _ folder: URL, _ indices: URL) throws -> ReadResult {
        try child("/usr/bin/env", [python, script.path, folder.path, indices.path, "\(batch)"])
    }

    /// Runs a read phase and decodes the JSON line it prints last.
    private func child(_ program: String, _ arguments: [String]) throws -> ReadResult {
        let result = Subprocess.run(program, arguments)
        let last = result.output.split(separator: "\n").last.map(String.init) ?? ""
        guard result.status == 0, let decoded = try? JSONDecoder().decode(ReadResult.self, from: Data(last.utf8)) else {
            throw ValidationError("\(program) \(arguments.joined(separator: " ")) failed (status \(result.status)): \(result.output)")
        }
        return decoded
    }

    private func findNumPy() -> (python: String, version: String)? {
        for candidate in python.map({ [$0] }) ?? ["python3", ".mediapipe/venv/bin/python"] {
            let probe = Subprocess.run("/usr/bin/env", [candidate, "-c", "import numpy; print(numpy.__version__)"])
            if probe.status == 0 { return (candidate, probe.output.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return nil
    }

    // MARK: Inputs

    /// Writes `n` random windows with ShardWriter.
    private func writeFolder(_ folder: URL, windows n: Int) throws {
        let writer = try ShardWriter(folder: folder, window: window, shardSize: shardSize)
        var random = SeededRandom(seed: seed, stream: UInt64(n))
        let frameValues = window * 33 * 3
        for i in 0..<n {
            try writer.append(WindowRecord(
                x: (0..<frameValues).map { _ in Float(random.signedUnit()) },
                mask: (0..<window * 33).map { _ in random.next() % 16 == 0 ? 0 : 1 },
                exercise: Int32(random.next() % 5) - 1, quality: Int32(random.next() % 4) - 1,
                form: Float(random.unit() * 100), angles: (0..<6).map { _ in Float(random.uniform(0...180)) },
                risk: random.chance(0.1) ? .nan : Float(random.unit()), flags: (0..<4).map { _ in UInt8(random.next() % 3) },
                sequence: Int64(i / 20), start: Int64(i % 20 * 15)))
        }
        try writer.finish(ShardIndex(
            format: ShardIndex.formatName, version: ShardIndex.formatVersion, split: "train", window: window, stride: 15, coords: "world",
            normalization: "synthetic (biomech-bench shards)", exercises: ["squat", "pushup", "lunge", "plank"],
            qualities: ["good", "fair", "poor"], angles: ["left_knee", "right_knee", "left_hip", "right_hip", "left_elbow", "right_elbow"],
            heads: LabelHead.allCases.map(\.name), source: "sequences", sequences: [], windows: 0, dropped: [:], labelSources: [:],
            thresholds: Thresholds(), shards: []))
    }

    private func folderBytes(_ folder: URL) throws -> Int64 {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).reduce(Int64(0)) { total, name in
            total + ((try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size] as? Int64) ?? 0)
        }
    }

    private func timed(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).inSeconds
    }

    // MARK: The read phases

    /// The Swift read phase, in a process of its own: `biomech-bench shards read`.
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read", abstract: "One read phase of `shards` (run as a child process; prints JSON).", shouldDisplay: false)

        @Option var folder: String
        @Option var indices: String
        @Option var batch = 64

        func run() throws {
            let baseline = Memory.status()["VmRSS"] ?? 0
            let indices = try NPYFile.read(URL(fileURLWithPath: indices), as: Int64.self).values.map { Int($0) }
            let opened = ContinuousClock.now
            let reader = try ShardReader(folder: URL(fileURLWithPath: folder))
            let start = ContinuousClock.now
            let openPrivate = Memory.privateKB()
            var batch = WindowBatch(window: reader.window, capacity: batch)
            var checksum: UInt64 = 0
            var peakPrivate: Int64 = 0
            for (n, first) in stride(from: 0, to: indices.count, by: self.batch).enumerated() {
                reader.fill(&batch, with: indices[first..<min(first + self.batch, indices.count)])
                checksum &+= Self.checksum(batch)
                if n % 16 == 0 { peakPrivate = max(peakPrivate, Memory.privateKB()) }
            }
            let end = ContinuousClock.now
            let status = Memory.status()
            let result = ReadResult(seconds: (end - start).inSeconds, openSeconds: (start - opened).inSeconds,
                                    openPrivateKB: openPrivate, windows: indices.count,
                                    checksum: String(checksum, radix: 16), baselineKB: baseline, hwmKB: status["VmHWM"] ?? 0,
                                    anonKB: max(peakPrivate, status["RssAnon"] ?? 0), fileKB: status["RssFile"] ?? 0)
            print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
        }

        /// A few values of every array of every window, summed as bit patterns; the Python script sums the same ones.
        static func checksum(_ b: WindowBatch) -> UInt64 {
            let xRow = b.window * 33 * 3, maskRow = b.window * 33
            var sum: UInt64 = 0
            for i in 0..<b.count {
                sum &+= UInt64(b.x[i * xRow].bitPattern) &+ UInt64(b.x[(i + 1) * xRow - 1].bitPattern) &+ UInt64(b.mask[(i + 1) * maskRow - 1])
                sum &+= UInt64(UInt32(bitPattern: b.exercise[i])) &+ UInt64(UInt32(bitPattern: b.quality[i])) &+ UInt64(b.form[i].bitPattern)
                sum &+= UInt64(b.angles[i * 6 + 5].bitPattern) &+ UInt64(b.risk[i].bitPattern) &+ UInt64(b.flags[i * 4 + 3])
                sum &+= UInt64(bitPattern: b.source[2 * i]) &+ UInt64(bitPattern: b.source[2 * i + 1])
            }
            return sum
        }
    }

    /// The NumPy read phase: each file np.load'ed with mmap_mode='r', then per shard of each batch
    /// one fancy-indexed take per array into preallocated batch arrays (NumPy's fastest plain form).
    static let numpyScript = #"""
        import json, os, sys, time
        import numpy as np

        def status():
            out = {}
            for line in open("/proc/self/status"):
                key, _, value = line.partition(":")
                if value.strip().endswith("kB"):
                    out[key] = int(value.split()[0])
            return out

        def private_kb():
            fields = open("/proc/self/statm").read().split()
            return (int(fields[1]) - int(fields[2])) * PAGE // 1024

        PAGE = os.sysconf("SC_PAGE_SIZE")
        folder, indices_path, B = sys.argv[1], sys.argv[2], int(sys.argv[3])
        baseline = status()["VmRSS"]
        indices = np.load(indices_path)
        opened = time.perf_counter()
        index = json.load(open(folder + "/index.json"))
        arrays = [[np.load(folder + "/" + f["name"], mmap_mode="r") for f in s["files"]] for s in index["shards"]]
        starts = np.cumsum([0] + [s["windows"] for s in index["shards"]])
        start = time.perf_counter()
        open_private = private_kb()
        out = [np.empty((B,) + a.shape[1:], a.dtype) for a in arrays[0]]

        def u(a):
            return a.view({1: np.uint8, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize]).astype(np.uint64)

        checksum, peak_private = 0, 0
        for number, first in enumerate(range(0, len(indices), B)):
            batch = indices[first:first + B]
            n = len(batch)
            shard = np.searchsorted(starts, batch, side="right") - 1
            order = np.argsort(shard, kind="stable")
            shard, rows = shard[order], (batch - starts[shard])[order]
            bounds = np.flatnonzero(np.diff(shard)) + 1
            for lo, hi in zip(np.concatenate(([0], bounds)), np.concatenate((bounds, [n]))):
                for k, a in enumerate(arrays[shard[lo]]):
                    np.take(a, rows[lo:hi], axis=0, out=out[k][lo:hi])
            x, mask, ex, q, form, ang, risk, flags, src = (o[:n] for o in out)
            s = (u(x[:, 0, 0, 0]) + u(x[:, -1, -1, -1]) + u(mask[:, -1, -1]) + u(ex) + u(q) + u(form) + u(ang[:, -1])
                 + u(risk) + u(flags[:, -1]) + u(src[:, 0]) + u(src[:, 1])).sum(dtype=np.uint64)
            checksum = (checksum + int(s)) % 2**64
            if number % 16 == 0:
                peak_private = max(peak_private, private_kb())
        end = time.perf_counter()
        st = status()
        print(json.dumps({"seconds": end - start, "open_seconds": start - opened, "open_private_kb": open_private, "windows": int(len(indices)),
                          "checksum": format(checksum, "x"), "baseline_kb": baseline, "hwm_kb": st["VmHWM"],
                          "anon_kb": max(peak_private, st["RssAnon"]), "file_kb": st["RssFile"]}))
        """#

    /// This process's memory figures from /proc/self/status, in kB.
    enum Memory {
        /// Resident private memory: resident minus shared (file-backed) pages, from /proc/self/statm.
        static func privateKB() -> Int64 {
            guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
            let pages = text.split(separator: " ").compactMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard pages.count >= 3 else { return 0 }
            return (pages[1] - pages[2]) * Int64(sysconf(Int32(_SC_PAGESIZE))) / 1024
        }

        static func status() -> [String: Int64] {
            guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return [:] }
            var out: [String: Int64] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[1].hasSuffix("kB"), let value = parts[1].split(whereSeparator: \.isWhitespace).first.flatMap({ Int64($0) }) else { continue }
                out[String(parts[0])] = value
            }
            return out
        }
    }

    /// The page cache's copy of a folder's files: dropped, measured, filled.
    enum Cache {
        /// Drops the folder's clean pages from the page cache (after flushing), so the next read goes to the disk.
        static func evict(_ folder: URL) {
            forEachFile(folder) { fd, _ in
                fdatasync(fd)
                _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
            }
        }

        /// The share of the folder's pages in the page cache (mincore).
        static func residentFraction(_ folder: URL) -> Double {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            var resident = 0, total = 0
            forEachFile(folder) { fd, size in
                guard size > 0, let map = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return }
                defer { munmap(map, size) }
                var pages = [UInt8](repeating: 0, count: (size + page - 1) / page)
                guard mincore(map, size, &pages) == 0 else { return }
                resident += pages.reduce(0) { $0 + Int($1 & 1) }
                total += pages.count
            }
            return total == 0 ? 0 : Double(resident) / Double(total)
        }

        /// Reads every file once, so the page cache holds the folder.
        static func prewarm(_ folder: URL) {
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 4096)
            defer { buffer.deallocate() }
            forEachFile(folder) { fd, _ in
                while read(fd, buffer, 1 << 20) > 0 {}
            }
        }

        private static func forEachFile(_ folder: URL, _ body: (Int32, Int) -> Void) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".npy") {
                let fd = open(folder.appendingPathComponent(name).path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }
                var info = stat()
                if fstat(fd, &info) == 0 { body(fd, Int(info.st_size)) }
                close(fd)
            }
        }
    }
}
