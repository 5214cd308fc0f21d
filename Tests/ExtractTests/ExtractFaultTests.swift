import CatalogStore
import Foundation
import NumPy
import Testing
import TestSupport

/// Crashes and kills: a dead worker costs one video, a dead parent costs nothing but time.
@Suite(.serialized) struct ExtractFaultTests {
    @Test func aWorkerKilledMidVideoFailsThatVideoOnlyAndANewWorkerGoesOn() throws {
        let f = try ExtractFixture()
        // The worker SIGKILLs itself after frame 50 of demo.mp4; short.mp4 and pattern.mp4 come after it.
        let run = try f.extract(["--jobs", "1", "--kill-worker-after", "demo.mp4:50"])
        #expect(run.status == 1, "\(run.all)")
        let rows = try f.sequences()
        #expect(rows.mapValues(\.status) == ["cut.mp4": .decodeError, "jumping_jack/demo.mp4": .workerCrash,
                                             "jumping_jack/short.mp4": .ok, "pattern.mp4": .noPerson], "\(run.all)")
        #expect(rows["jumping_jack/demo.mp4"]?.message?.contains("signal 9") == true, "\(rows["jumping_jack/demo.mp4"]?.message ?? "")")
        let demoID = try f.videoID("jumping_jack/demo.mp4")
        #expect(!f.outputFiles().contains { $0.hasPrefix("demo/\(demoID).") || $0.contains(".tmp-") }, "\(f.outputFiles())")

        // A crash may not happen again, so the next run retries that video, and only it.
        let retry = try f.extract(["--jobs", "1", "--summary-json", f.folder("summary.json").path])
        #expect(retry.status == 0, "\(retry.all)")
        let summary = try JSONDecoder().decode(SummaryCounts.self, from: Data(contentsOf: f.folder("summary.json")))
        #expect(summary.planned == 1)
        #expect(try f.sequences()["jumping_jack/demo.mp4"]?.status == .ok)
    }

    @Test func aParentKilledWithSIGKILLLeavesWholeFilesAndTheNextRunFinishes() throws {
        let f = try ExtractFixture(extraCopies: 2)
        let demoFolder = f.output.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: demoFolder, withIntermediateDirectories: true)
        let (parent, out, err) = try Tools.start(Tools.product("biomech-extract"), f.arguments(["--jobs", "1"]), directory: MediaPipeFixture.root)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        func sequenceWritten() -> Bool {
            ((try? FileManager.default.contentsOfDirectory(atPath: demoFolder.path)) ?? []).contains { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        }
        try FileWatch.wait(in: demoFolder, while: parent, until: sequenceWritten)
        let workers = Self.processes(withArguments: "worker --parent \(parent.processIdentifier)")
        kill(parent.processIdentifier, SIGKILL)
        parent.waitUntilExit()
        #expect(parent.terminationReason == .uncaughtSignal)
        // The workers die with their parent (the kernel's parent-death signal): wait for each to go.
        for pid in workers { try Tools.require("tail", ["--pid=\(pid)", "-f", "/dev/null"]) }

        // Every sequence file under its final name is whole.
        for name in f.outputFiles() where name.hasSuffix(".npy") && !name.hasPrefix(".") && !name.contains("/.") {
            let array = try NPYFile.read(f.output.appendingPathComponent(name))
            #expect(array.shape.count == 3 && array.shape[0] > 0, "\(name)")
        }
        let recorded = try f.sequences()
        for (path, row) in recorded where row.status == .ok {
            #expect(FileManager.default.fileExists(atPath: f.output.appendingPathComponent(row.path ?? "?").path), "\(path)")
        }

        let rerun = try f.extract(["--jobs", "2"])
        #expect(rerun.status == 0 || rerun.status == 1, "\(rerun.all)")
        let finished = try f.sequences()
        #expect(finished.count == 6, "every video has an outcome: \(finished.keys.sorted()) \(rerun.all)")
        #expect(finished.values.filter { $0.status == .ok }.count == 4)
        for (path, row) in recorded { #expect(finished[path] == row, "\(path) was done before the kill and is not redone") }
        #expect(!f.outputFiles().contains { $0.contains(".tmp-") }, "\(f.outputFiles())")
    }

    @Test func ctrlCStopsTheWorkersRecordsWhatFinishedAndExits1() throws {
        let f = try ExtractFixture(extraCopies: 2)
        let demoFolder = f.output.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: demoFolder, withIntermediateDirectories: true)
        let (parent, out, err) = try Tools.start(Tools.product("biomech-extract"), f.arguments(["--jobs", "1"]), directory: MediaPipeFixture.root)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        try FileWatch.wait(in: demoFolder, while: parent) {
            ((try? FileManager.default.contentsOfDirectory(atPath: demoFolder.path)) ?? []).contains { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        }
        let workers = Self.processes(withArguments: "worker --parent \(parent.processIdentifier)")
        kill(parent.processIdentifier, SIGINT)
        parent.waitUntilExit()
        let printed = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let logged = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        if parent.terminationStatus == 0 {
            // The signal came after the last video: nothing was left to stop.
            #expect(try f.sequences().count == 6, "\(printed)\(logged)")
        } else {
            #expect(parent.terminationReason == .exit && parent.terminationStatus == 1, "\(printed)\(logged)")
            #expect(printed.contains("interrupted"), "\(printed)\(logged)")
        }
        for pid in workers { try Tools.require("tail", ["--pid=\(pid)", "-f", "/dev/null"]) }
        #expect(!f.outputFiles().contains { $0.contains(".tmp-") }, "\(f.outputFiles())")
        #expect(!(try f.sequences()).values.contains { $0.status == .workerCrash }, "a stopped worker is not a crash")
        let rerun = try f.extract(["--jobs", "2"])
        #expect(rerun.status == 0 || rerun.status == 1, "\(rerun.all)")
        #expect(try f.sequences().count == 6)
    }

    /// Process ids whose command line contains `text`.
    static func processes(withArguments text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(text) ? pid : nil
        }
    }
}

/// The part of `--summary-json` the tests read.
struct SummaryCounts: Decodable {
    var selected: Int
    var planned: Int
    var frames: Int
}
