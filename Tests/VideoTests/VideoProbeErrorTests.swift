import Foundation
import Testing
import TestSupport
import Video

/// Files that are not probeable videos give a VideoError naming the file, never a crash.
@Suite struct VideoErrorTests {
    /// The error probing `path` gave, or nil when it succeeded.
    func probeError(_ path: String) -> VideoError? {
        do {
            _ = try VideoProbe.probe(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: VideoFixtures.Kind.failures)
    func kindThatIsNotAVideoFails(kind: VideoFixtures.Kind) throws {
        let folder = try TemporaryFolder("video-error")
        let file = try VideoFixtures.make(kind, in: folder.url, name: "bad")
        let error = try #require(probeError(file.path))
        #expect(error.path == file.path)
        #expect(error.description.hasPrefix("\(file.path): "))
        let expectedReason = switch kind {
        case .audioOnlyM4A, .audioOnlyWAV: "no video stream (only audio streams)"
        case .zeroFramesAVI: "the video stream has no frames"
        default: "not a video libavformat can read (Invalid data found when processing input)"
        }
        #expect(error.reason == expectedReason)
    }

    @Test func missingFileIsNamed() throws {
        let folder = try TemporaryFolder("video-error")
        let path = folder("data/raw/x/files/a.mp4").path
        let error = try #require(probeError(path))
        #expect(error.description == "\(path): no such file (No such file or directory)")
    }

    @Test func emptyFileAndCutHeaderFail() throws {
        let folder = try TemporaryFolder("video-error")
        let empty = try folder.write("empty.mp4", Data())
        #expect(probeError(empty.path)?.reason == "not a video libavformat can read (Invalid data found when processing input)")
        // A WebM cut just before its first cluster (EBML ID 1F 43 B6 75): the header never ends.
        let whole = try Data(contentsOf: VideoFixtures.make(.vp9WebM, in: folder.url, name: "whole"))
        let cluster = try #require(whole.range(of: Data([0x1F, 0x43, 0xB6, 0x75])))
        let header = try folder.write("header.webm", whole[..<cluster.lowerBound])
        #expect(probeError(header.path)?.reason == "ends before its headers do; truncated? (End of file)")
    }

    @Test func folderAndNamedPipeAreRefusedWithoutOpening() throws {
        let folder = try TemporaryFolder("video-error")
        let pipe = folder("pipe.mp4").path
        #expect(mkfifo(pipe, 0o600) == 0)
        // Opening the pipe would wait for a writer forever; the probe must answer at once.
        #expect(probeError(pipe)?.reason == "is a named pipe, not a video file")
        #expect(probeError(folder.path)?.reason == "is a folder, not a video file")
    }

    @Test func unreadableFileFails() throws {
        // Root reads any file regardless of its mode, so there is nothing to test as root.
        guard getuid() != 0 else { return }
        let folder = try TemporaryFolder("video-error")
        let file = try VideoFixtures.make(.h264MP4, in: folder.url, name: "locked")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
        let error = try #require(probeError(file.path))
        #expect(error.reason.hasPrefix("cannot read the file"))
    }
}
