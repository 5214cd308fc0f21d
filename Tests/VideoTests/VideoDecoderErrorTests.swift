import Foundation
import Testing
import TestSupport
@testable import Video

/// Files that are not decodable videos give a VideoError naming the file; cut and corrupt files never crash.
@Suite struct VideoDecoderErrorTests {
    /// The error opening or decoding `path` gave, or nil when every frame decoded.
    func decodeError(_ path: String, _ settings: DecodeSettings = DecodeSettings()) -> VideoError? {
        do {
            let decoder = try VideoDecoder(path: path, settings: settings)
            while try decoder.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    /// Every kept frame of `path`, or the decode error.
    func decodeFrames(_ path: String) -> Result<[DecodedFrame], VideoError> {
        Result { () throws(VideoError) -> [DecodedFrame] in
            let decoder = try VideoDecoder(path: path)
            var frames: [DecodedFrame] = []
            while let frame = try decoder.next() { frames.append(frame) }
            return frames
        }
    }

    @Test(arguments: VideoFixtures.Kind.failures)
    func kindThatIsNotAVideoFails(kind: VideoFixtures.Kind) throws {
        let folder = try TemporaryFolder("video-decode-error")
        let file = try VideoFixtures.make(kind, in: folder.url, name: "bad")
        let error = try #require(decodeError(file.path))
        #expect(error.path == file.path)
        #expect(error.description.hasPrefix("\(file.path): "))
        let expectedReason = switch kind {
        case .audioOnlyM4A, .audioOnlyWAV: "no video stream (only audio streams)"
        case .zeroFramesAVI: "the video stream has no decodable frames"
        default: "not a video libavformat can read (Invalid data found when processing input)"
        }
        #expect(error.reason == expectedReason)
    }

    @Test func missingFileFolderAndBadSettingsAreNamed() throws {
        let folder = try TemporaryFolder("video-decode-error")
        let missing = folder("a.mp4").path
        #expect(decodeError(missing)?.description == "\(missing): no such file (No such file or directory)")
        #expect(decodeError(folder.path)?.reason == "is a folder, not a video file")
        let file = try VideoFixtures.make(.h264MP4, in: folder.url, name: "fine")
        #expect(decodeError(file.path, DecodeSettings(fps: 0))?.reason == "the target fps must be a positive number, not 0.0")
        #expect(decodeError(file.path, DecodeSettings(maxSide: 0))?.reason == "maxSide must be at least 1, not 0")
        #expect(decodeError(file.path, DecodeSettings(threads: -1))?.reason == "threads must be 0 (automatic) or more, not -1")
    }

    /// A file cut in half that still opens gives the frames before the cut, or an error; never a crash.
    @Test(arguments: [VideoFixtures.Kind.truncatedFastStartMP4, .truncatedWebM])
    func truncatedFileGivesFewerFramesOrAnError(kind: VideoFixtures.Kind) throws {
        let folder = try TemporaryFolder("video-decode-error")
        let file = try VideoFixtures.make(kind, in: folder.url, name: "cut")
        switch decodeFrames(file.path) {
        case .success(let frames): #expect(frames.count < 25)
        case .failure(let error): #expect(error.path == file.path)
        }
    }

    /// Garbage over the middle of the file: decoding goes on past it (corrupt packets are skipped).
    @Test(arguments: ["h264", "mjpeg", "mpeg4"])
    func corruptMiddleDoesNotCrash(codecName: String) throws {
        let folder = try TemporaryFolder("video-decode-error")
        let codec = try #require(DecodeFixtures.codecs.first { $0.name == codecName })
        let file = try DecodeFixtures.make(codec, source: "testsrc=size=160x120:rate=25:duration=1", in: folder, name: "corrupt")
        var bytes = try Data(contentsOf: file)
        let middle = bytes.count / 2
        bytes.replaceSubrange(middle ..< middle + 2000, with: pseudoRandomBytes(2000, seed: 7))
        try bytes.write(to: file)
        switch decodeFrames(file.path) {
        case .success(let frames):
            #expect(frames.count > 0 && frames.count <= 25)
            #expect(frames.allSatisfy { $0.rgb.count == $0.width * $0.height * 3 })
        case .failure(let error): #expect(error.path == file.path)
        }
    }
}
