import Foundation
import Testing
import TestSupport
import Video

@Suite struct TmpBench {
    @Test func dump() throws {
        let folder = try TemporaryFolder("video-dump")
        for (kind, url) in try VideoFixtures.makeAll(in: folder.url).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            do { print("DUMP \(kind): \(try VideoProbe.probe(path: url.path))") } catch { print("DUMP \(kind): ERROR \(error)") }
        }
    }
}
