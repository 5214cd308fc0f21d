import Foundation
import Testing
import TestSupport
@testable import Video

/// VideoProbe against the ffprobe CLI on real ffmpeg-made files of every kind that opens.
@Suite struct VideoProbeTests {
    @Test(arguments: VideoFixtures.Kind.videos)
    func agreesWithFFprobe(kind: VideoFixtures.Kind) throws {
        let folder = try TemporaryFolder("video-probe")
        let file = try VideoFixtures.make(kind, in: folder.url, name: "clip")
        let info = try VideoProbe.probe(path: file.path)
        let expected = try FFprobeReport(file)

        #expect(info.container == expected.formatName)
        #expect(info.codec == expected.codec)
        #expect(info.width == expected.width && info.height == expected.height)
        let fps = try #require(expected.fps)
        #expect(abs(info.fps - fps) <= 1e-6 * fps, "fps \(info.fps) vs ffprobe \(expected.avgFrameRate)")
        let duration = try #require(expected.duration)
        #expect(abs(info.durationSeconds - duration) <= 1 / fps, "duration \(info.durationSeconds) vs ffprobe \(duration)")
        #expect(info.frameCount == expected.frameCount)
        #expect(info.frameCountCounted == (expected.nbFrames ?? 0 <= 0))
        #expect(info.hasAudio == expected.hasAudio)
        // ffprobe prints the display matrix's counter-clockwise angle; ours is clockwise.
        let clockwise = ((-(expected.displayMatrixRotation ?? 0)) % 360 + 360) % 360
        #expect(info.rotation == clockwise)
    }

    @Test func reportsWhatEachKindIsFor() throws {
        let folder = try TemporaryFolder("video-probe")
        func probe(_ kind: VideoFixtures.Kind) throws -> VideoInfo {
            try VideoProbe.probe(path: VideoFixtures.make(kind, in: folder.url, name: kind.rawValue).path)
        }
        let plain = try probe(.h264MP4)
        #expect(plain == VideoInfo(container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 64, height: 48,
                                   rotation: 0, fps: 25, durationSeconds: 1, frameCount: 25,
                                   frameCountCounted: false, hasAudio: false))
        let webm = try probe(.vp9WebM)
        #expect(webm.container == "matroska,webm" && webm.codec == "vp9")
        #expect(webm.frameCount == 25 && webm.frameCountCounted)
        #expect(try probe(.mjpegAVI).codec == "mjpeg")
        #expect(try probe(.rotatedMOV).rotation == 90)
        #expect(try probe(.withAudioMP4).hasAudio)
        // 12 frames two ticks apart then 13 one tick apart at 25 ticks a second: 37 ticks.
        let variable = try probe(.variableRateMP4)
        #expect(variable.frameCount == 25 && abs(variable.durationSeconds - 37.0 / 25) < 1e-9)
        #expect(abs(variable.fps - 25.0 * 25 / 37) < 1e-9)
        // The index at the front still lists every frame; only the packets after the cut are gone.
        let cut = try probe(.truncatedFastStartMP4)
        #expect(cut.frameCount == 25 && !cut.frameCountCounted)
        let cutWebM = try probe(.truncatedWebM)
        #expect(cutWebM.frameCountCounted && cutWebM.frameCount < 25)
    }

    @Test func largerShapeIsReported() throws {
        let folder = try TemporaryFolder("video-probe")
        let shape = VideoFixtures.Shape(width: 160, height: 120, fps: 30, seconds: 2)
        let info = try VideoProbe.probe(path: VideoFixtures.make(.vp9WebM, in: folder.url, name: "big", shape: shape).path)
        #expect(info.width == 160 && info.height == 120 && info.fps == 30 && info.frameCount == 60)
        #expect(abs(info.durationSeconds - 2) < 1.0 / 30)
    }

    @Test func infoRoundTripsThroughJSON() throws {
        let info = VideoInfo(container: "avi", codec: "mjpeg", width: 64, height: 48, rotation: 270, fps: 29.97,
                             durationSeconds: 1.5, frameCount: 45, frameCountCounted: true, hasAudio: true)
        let decoded = try JSONDecoder().decode(VideoInfo.self, from: JSONEncoder().encode(info))
        #expect(decoded == info)
    }
}
