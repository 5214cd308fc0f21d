import Foundation

/// Appends a figure to `$BIOMECH_BENCH_RESULTS/<bench>.jsonl` (default `bench-work/results`) for the
/// summary table at the end of `make bench`: the format of scripts/bench/results.py.
enum BenchResults {
    /// `value` in `unit` (`x` for a ratio, above 1 meaning biomech is ahead); `met` nil when there is no goal.
    static func record(_ bench: String, _ figure: String, value: Double, unit: String, reference: String? = nil,
                       goal: String? = nil, met: Bool? = nil) {
        let row: [String: Any] = ["bench": bench, "figure": figure, "value": value, "unit": unit, "reference": reference ?? NSNull(),
                                  "goal": goal ?? NSNull(), "met": met.map { $0 as Any } ?? NSNull()]
        let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["BIOMECH_BENCH_RESULTS"] ?? "bench-work/results")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var line = try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])
            line.append(0x0A)
            let file = folder.appendingPathComponent(bench + ".jsonl")
            if !FileManager.default.fileExists(atPath: file.path) { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        } catch {
            FileHandle.standardError.write(Data("biomech-bench: cannot record \(figure) in \(folder.path): \(error)\n".utf8))
        }
    }
}
