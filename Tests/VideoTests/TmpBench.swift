import Foundation
import Testing
import TestSupport
import Video

@Suite struct TmpBench {
    @Test func bench() throws {
        let folder = try TemporaryFolder("video-bench")
        let a = try VideoFixtures.make(.h264MP4, in: folder.url, name: "a", shape: .init(width: 160, height: 120, fps: 30, seconds: 2))
        let b = try VideoFixtures.make(.vp9WebM, in: folder.url, name: "b", shape: .init(width: 160, height: 120, fps: 30, seconds: 2))
        var paths: [String] = []
        for i in 0..<100 {
            let dst = folder("f\(i).\(i % 2 == 0 ? "mp4" : "webm")")
            try FileManager.default.copyItem(at: i % 2 == 0 ? a : b, to: dst)
            paths.append(dst.path)
        }
        var clock = ContinuousClock.now
        for p in paths { _ = try VideoProbe.probe(path: p) }
        let inproc = ContinuousClock.now - clock
        clock = ContinuousClock.now
        for p in paths { _ = try Tools.run("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", p]) }
        let sub = ContinuousClock.now - clock
        clock = ContinuousClock.now
        for p in paths { _ = try Tools.run("ffprobe", ["-v", "error", "-count_packets", "-show_streams", "-show_format", "-of", "json", p]) }
        let sub2 = ContinuousClock.now - clock
        print("BENCH inproc \(inproc) ffprobe \(sub) ffprobe-count \(sub2)")
    }
}
