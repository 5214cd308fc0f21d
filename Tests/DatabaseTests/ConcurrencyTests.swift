import Database
import Foundation
import Testing
import TestSupport

/// Several connections on one file, a connection shared by threads, and interrupting a running query.
@Suite struct ConcurrencyTests {
    let fixture: DatabaseFixture
    init() throws { fixture = try DatabaseFixture() }

    @Test func walReaderSeesCommittedDataDuringAWriteTransaction() throws {
        let writer = try fixture.database("wal.sqlite")
        #expect(try writer.scalar("PRAGMA journal_mode = WAL") == "wal")
        try writer.executeScript("CREATE TABLE t(v); INSERT INTO t VALUES ('committed')")
        let reader = try Database(path: fixture.path("wal.sqlite"), mode: .readOnly)

        try writer.transaction {
            for n in 0..<1000 { try writer.execute("INSERT INTO t VALUES (?)", [SQLValue(n)]) }
            #expect(try writer.count("t") == 1001)
            // The reader is neither blocked nor shown the uncommitted rows.
            #expect(try reader.query("SELECT v FROM t").rows == [["committed"]])
        }
        #expect(try reader.count("t") == 1001)
    }

    @Test func threadsCanShareAConnection() throws {
        let db = try fixture.database("shared.sqlite", "PRAGMA synchronous = OFF; CREATE TABLE t(thread, n)")
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for n in 0..<100 {
                do {
                    try db.execute("INSERT INTO t VALUES (?, ?)", [SQLValue(thread), SQLValue(n)])
                } catch {
                    failures.update { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.value == [])
        #expect(try db.count("t") == 400)
        #expect(try db.scalar("SELECT count(DISTINCT thread) FROM t") == 4)
    }

    @Test func interruptStopsARunningQuery() throws {
        let db = try fixture.database()
        let done = Locked(false)
        let stopped = DispatchSemaphore(value: 0)
        // Keep interrupting until the query has ended: an interrupt before it starts would be a no-op.
        Thread.detachNewThread {
            while !done.value {
                db.interrupt()
                sched_yield()
            }
            stopped.signal()
        }
        let error = try #require(throws: DatabaseError.self) {
            defer { done.update { $0 = true } }
            _ = try db.scalar("""
                WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000)
                SELECT count(*) FROM c
                """)
        }
        // The count would take minutes; SQLITE_INTERRUPT is what proves it was stopped, with no clock involved.
        #expect(error.codeName == "SQLITE_INTERRUPT")
        // Once nothing interrupts any more, the next statement runs normally.
        stopped.wait()
        #expect(try db.scalar("SELECT 1") == 1)
    }
}
