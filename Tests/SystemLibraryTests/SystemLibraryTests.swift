import CFFmpeg
import COpenBLAS
import CSQLite
import Foundation
import Testing

/// The system-library wrappers later stages build on: each links, and its shim works.
@Suite struct SystemLibraryTests {
    @Test func ffmpegLinksAndShimsErrorMacros() {
        #expect(avformat_version() >> 16 >= 59)
        #expect(biomech_averror(EINVAL) == -EINVAL)
        #expect(biomech_averror_eof() < 0)
        var buffer = [CChar](repeating: 0, count: 128)
        av_strerror(biomech_averror_eof(), &buffer, buffer.count)
        let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        #expect(message.lowercased().contains("end of file"))
    }

    @Test func sqliteRoundTripWithTransientBinding() throws {
        var db: OpaquePointer?
        #expect(sqlite3_open(":memory:", &db) == SQLITE_OK)
        defer { sqlite3_close(db) }
        #expect(sqlite3_exec(db, "CREATE TABLE t(name TEXT)", nil, nil, nil) == SQLITE_OK)
        var statement: OpaquePointer?
        #expect(sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?)", -1, &statement, nil) == SQLITE_OK)
        var name = "squat"
        name.withUTF8 { _ = sqlite3_bind_text(statement, 1, String(decoding: $0, as: UTF8.self), -1, biomech_sqlite_transient()) }
        #expect(sqlite3_step(statement) == SQLITE_DONE)
        sqlite3_finalize(statement)
        #expect(sqlite3_prepare_v2(db, "SELECT name FROM t", -1, &statement, nil) == SQLITE_OK)
        #expect(sqlite3_step(statement) == SQLITE_ROW)
        #expect(String(cString: sqlite3_column_text(statement, 0)) == "squat")
        sqlite3_finalize(statement)
    }

    @Test func openblasMultipliesMatrices() {
        // [1 2; 3 4] x [5 6; 7 8] = [19 22; 43 50]
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
    }
}
