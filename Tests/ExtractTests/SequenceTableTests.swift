import CatalogStore
import Database
import Datasets
import Foundation
import Testing
import TestSupport

/// Which videos need extracting: up to date by file hash and settings, narrowed by the filters.
@Suite struct SequenceTableTests {
    /// A catalog of five videos: a, b (squat, train), c (lunge, test), d (a probe error), e (a duplicate of a).
    func catalog() throws -> (TemporaryFolder, Database) {
        let folder = try TemporaryFolder()
        let db = try CatalogStore.open(folder("c.sqlite").path)
        try db.executeScript("""
            INSERT INTO datasets (name, title, homepage, license, commercial_use, access, manifest_sha256, scanned_at)
                VALUES ('d1', 't', 'h', 'l', 1, 'http', 'x', 'now'), ('d2', 't', 'h', 'l', 1, 'http', 'x', 'now');
            INSERT INTO videos (id, dataset, path, sha256, size_bytes, mtime, frame_count, fps, probe_error, exercise, exercise_source,
                                group_key, split, duplicate_of, scanned_at) VALUES
                (1, 'd1', 'a.mp4', 'ha', 1, 1, 30, 30, NULL, 'squat', 'path_rule', 'g1', 'train', NULL, 'now'),
                (2, 'd1', 'b.mp4', 'hb', 1, 1, 30, 30, NULL, 'squat', 'path_rule', 'g2', 'train', NULL, 'now'),
                (3, 'd2', 'c.mp4', 'hc', 1, 1, 30, 30, NULL, 'lunge', 'path_rule', 'g3', 'test', NULL, 'now'),
                (4, 'd2', 'd.mp4', 'hd', 1, 1, NULL, NULL, 'not a video', NULL, NULL, 'g4', 'train', NULL, 'now'),
                (5, 'd2', 'e.mp4', 'ha', 1, 1, 30, 30, NULL, 'squat', 'path_rule', 'g1', 'train', 1, 'now');
            """)
        return (folder, db)
    }

    func attempt(_ id: Int64, sha: String, settings: String = "s1", _ status: SequenceStatus) -> SequenceRow {
        SequenceRow(videoID: id, path: status == .ok ? "d1/\(id).npy" : nil, videoSHA256: sha, frames: 30, fps: 30, detectedFraction: 1,
                    meanVisibility: 0.9, backend: "b", settingsSHA256: settings, status: status, message: status == .ok ? nil : "why",
                    seconds: 1, extractedAt: "now")
    }

    @Test func probeErrorsAndDuplicatesAreNeverCandidatesAndFiltersNarrow() throws {
        let (_, db) = try catalog()
        let table = SequenceTable(db)
        func ids(_ selection: SequenceSelection) throws -> [Int64] { try table.candidates(selection, settingsSHA256: "s1").map(\.videoID) }
        #expect(try ids(SequenceSelection()) == [1, 2, 3])
        #expect(try ids(SequenceSelection(datasets: ["d2"])) == [3])
        #expect(try ids(SequenceSelection(exercises: ["squat"])) == [1, 2])
        #expect(try ids(SequenceSelection(splits: [.test])) == [3])
        #expect(try ids(SequenceSelection(exercises: ["squat", "lunge"], splits: [.train])) == [1, 2])
        #expect(try ids(SequenceSelection(limit: 2)) == [1, 2])
    }

    @Test func upToDateMeansSameFileSameSettingsAndNoCrash() throws {
        let (_, db) = try catalog()
        let table = SequenceTable(db)
        try table.record(attempt(1, sha: "ha", .ok))
        try table.record(attempt(2, sha: "old", .ok))          // the file changed since
        try table.record(attempt(3, sha: "hc", .workerCrash))  // crashes are retried
        #expect(try table.candidates(SequenceSelection(), settingsSHA256: "s1").map(\.videoID) == [2, 3])
        #expect(try table.candidates(SequenceSelection(), settingsSHA256: "s2").map(\.videoID) == [1, 2, 3], "new settings")
        #expect(try table.candidates(SequenceSelection(force: true), settingsSHA256: "s1").map(\.videoID) == [1, 2, 3])
        try table.record(attempt(3, sha: "hc", .decodeError))  // replaces the crash; a decode error would repeat
        try table.record(attempt(2, sha: "hb", .noPerson))
        #expect(try table.candidates(SequenceSelection(), settingsSHA256: "s1").isEmpty)
        #expect(try table.row(videoID: 3)?.status == .decodeError)
    }

    @Test func theTableRefusesRowsThatContradictThemselves() throws {
        let (_, db) = try catalog()
        var row = attempt(1, sha: "ha", .ok)
        row.path = nil
        #expect(throws: DatabaseError.self) { try SequenceTable(db).record(row) }
        #expect(throws: DatabaseError.self) {
            try db.execute("INSERT INTO sequences (video_id, video_sha256, frames, backend, settings_sha256, status, seconds, extracted_at) "
                           + "VALUES (2, 'hb', 'many', 'b', 's', 'no_person', 1, 'now')")
        }
    }
}
