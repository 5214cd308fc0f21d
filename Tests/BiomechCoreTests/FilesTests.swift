import BiomechCore
import Foundation
import Synchronization
import Testing
import TestSupport

@Suite struct AtomicFileTests {
    @Test func writesAndReplacesLeavingNoTemporaries() throws {
        let folder = try TemporaryFolder()
        let target = folder("nested/out.json")
        try AtomicFile.write(Data("one".utf8), to: target)
        try AtomicFile.write(Data("two".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("nested").path) == ["out.json"])
    }

    @Test func temporaryIsHiddenBesideTheTargetUntilCommitted() throws {
        let folder = try TemporaryFolder()
        let target = folder("nested/out.bin")
        try AtomicFile.write(Data("old".utf8), to: target)
        let (temporary, fd) = try AtomicFile.createTemporary(beside: target)
        #expect(temporary.deletingLastPathComponent().path == folder("nested").path)
        #expect(temporary.lastPathComponent.hasPrefix(".out.bin.tmp-"))
        try Data("new".utf8).withUnsafeBytes { try AtomicFile.writeAll(fd: fd, $0, path: temporary.path) }
        #expect(try String(contentsOf: target, encoding: .utf8) == "old")
        try AtomicFile.commit(fd: fd, temporary: temporary, to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder("nested").path) == ["out.bin"])
    }

    @Test func failureNamesThePath() throws {
        let folder = try TemporaryFolder()
        try folder.write("blocker", "a file where a folder is needed")
        #expect { try AtomicFile.write(Data(), to: folder("blocker/out.json")) } throws: { error in
            "\(error)".contains("blocker")
        }
    }
}

@Suite struct FileLockTests {
    @Test func secondLockerWaitsUntilTheFirstUnlocks() throws {
        let folder = try TemporaryFolder()
        let path = folder(".lock").path
        let first = try FileLock(path: path)
        let waiting = DispatchSemaphore(value: 0), acquired = DispatchSemaphore(value: 0)
        let waits = AtomicCounter(), released = AtomicCounter(), releasedBeforeAcquiring = AtomicCounter()
        Thread {
            // flock locks belong to open file descriptions, so a second open in one process contends too.
            let second = try? FileLock(path: path) { _ in
                _ = waits.increment()
                waiting.signal()
            }
            if released.increment() == 2 { _ = releasedBeforeAcquiring.increment() }
            acquired.signal()
            second?.unlock()
        }.start()
        waiting.wait()   // the second locker found the lock taken and said so
        _ = released.increment()
        first.unlock()
        acquired.wait()
        #expect(waits.increment() == 2, "the waiter was told once that it must wait")
        #expect(releasedBeforeAcquiring.increment() == 2, "the second lock came only after the first was released")
    }

    @Test func lockFileRecordsTheHolder() throws {
        let folder = try TemporaryFolder()
        let lock = try FileLock(path: folder(".lock").path)
        #expect(try String(contentsOfFile: folder(".lock").path, encoding: .utf8) == "\(getpid())\n")
        lock.unlock()
    }
}

@Suite struct FormatTests {
    @Test func bytes() {
        #expect(Format.bytes(512) == "512 B")
        #expect(Format.bytes(1536) == "1.5 KiB")
        #expect(Format.bytes(3 << 30) == "3.0 GiB")
    }

    @Test func durations() {
        #expect(Format.duration(65) == "1:05")
        #expect(Format.duration(3725) == "1:02:05")
        #expect(Format.duration(.infinity) == "--:--")
    }

    @Test func tableAlignsColumns() {
        let table = Format.table(header: ["a", "bbb"], rows: [["xx", "y"]])
        #expect(table == "a   bbb\n--  ---\nxx  y")
    }

    @Test func fitShortensInTheMiddle() {
        #expect(Format.fit("abcdefghij", width: 5) == "ab…ij")
        #expect(Format.fit("ab", width: 4) == "ab  ")
    }

    @Test func byteSizes() {
        #expect(ByteSize.parse("1024") == 1024)
        #expect(ByteSize.parse("500M") == 500 << 20)
        #expect(ByteSize.parse("2GiB") == 2 << 30)
        #expect(ByteSize.parse("1T") == 1 << 40)
        #expect(ByteSize.parse("lots") == nil)
        #expect(ByteSize.parse("-1G") == nil)
    }
}

@Suite struct ParallelTests {
    /// Tracks how many calls run at once.
    final class Gauge: Sendable {
        private let counts = Mutex((current: 0, maximum: 0))
        var maximum: Int { counts.withLock { $0.maximum } }
        func enter() { counts.withLock { $0.current += 1; $0.maximum = max($0.maximum, $0.current) } }
        func leave() { counts.withLock { $0.current -= 1 } }
    }

    @Test func mapKeepsOrderAndRunsConcurrently() {
        let gauge = Gauge()
        // An event instead of a sleep: the call for 0 returns only once the call for 1 has started,
        // which only a map running two calls at once can do (the long timeout only ends a broken run).
        let secondStarted = DispatchSemaphore(value: 0)
        let overlapped = Locked(false)
        let results = Parallel.map(Array(0..<20), jobs: 4) { value -> Int in
            gauge.enter()
            if value == 1 { secondStarted.signal() }
            if value == 0 { overlapped.update { $0 = secondStarted.wait(timeout: .now() + 60) == .success } }
            gauge.leave()
            return value * value
        }
        #expect(results == (0..<20).map { $0 * $0 })
        #expect(overlapped.value, "calls 0 and 1 ran at the same time")
        #expect(gauge.maximum > 1 && gauge.maximum <= 4)
    }

    @Test func subprocessCapturesOutputAndStatus() {
        let ok = Subprocess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(ok.status == 3)
        #expect(ok.output.contains("out") && ok.output.contains("err"))
        let missing = Subprocess.run("/nonexistent/tool", [])
        #expect(missing.status == 127)
    }
}

@Suite struct ConsoleTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let seconds: Locked<Double>
        init(_ seconds: Double) { self.seconds = Locked(seconds) }
        var now: Double { seconds.value }
        func advance(_ by: Double) { seconds.update { $0 += by } }
    }

    @Test func rateCountsOnlyThisRunsWork() {
        let clock = ManualClock(1000)
        let console = Console(isTerminal: false, clock: { clock.now })
        let task = console.startTask("file", total: 100)
        #expect(task.rate == 0, "no time has passed")
        task.setBaseline(20)   // resumed: 20 bytes were there before this run
        task.update(done: 50)
        clock.advance(3)
        #expect(task.rate == 10, "(50 - 20) bytes in 3 s")
        task.finish()
    }
}
