import Foundation
import Testing
import TestSupport
@testable import Video

/// VideoDecoder against ffprobe's frame timestamps and ffmpeg's own decode, on real ffmpeg-made files.
@Suite struct VideoDecoderTests {
    static let testPicture = "testsrc=size=64x48:rate=25:duration=0.4"

    /// Every codec decodes every frame, with ffprobe's timestamps, at the source size.
    @Test(arguments: DecodeFixtures.codecs)
    func everyCodecDecodesEveryFrameAtFFprobesTimes(codec: DecodeFixtures.Codec) throws {
        let folder = try TemporaryFolder("video-decode")
        let file = try DecodeFixtures.make(codec, source: Self.testPicture, in: folder, name: "clip")
        let (decoder, frames) = try DecodeFixtures.decodeAll(file)
        let expected = try DecodeFixtures.ffprobeTimesOrNil(file)
        #expect(decoder.info.codec == codec.name)
        #expect(decoder.info.width == 64 && decoder.info.height == 48 && decoder.info.rotation == 0)
        #expect(decoder.info.fps == 25)
        #expect(frames.count == 10)
        #expect(frames.count == expected.count)
        for (n, (frame, time)) in zip(frames, expected).enumerated() {
            if let time {
                #expect(abs(frame.time - time) < 1e-6, "frame \(frame.index): \(frame.time) vs ffprobe \(time)")
            } else if n > 0 {
                // No timestamp (the last frame of an AVI with B-frames): one frame after the previous.
                #expect(abs(frame.time - frames[n - 1].time - 1.0 / 25) < 1e-6)
            }
        }
        #expect(frames.map(\.index) == Array(0..<frames.count))
        // Times count from the stream's start; AVI's first B-frame-delayed frame is at one tick, as ffprobe says.
        #expect(frames.first.map { $0.time >= 0 && $0.time < 0.05 } == true)
        if codec.fileExtension != "avi" { #expect(abs((frames.first?.time ?? -1)) < 1e-6) }
        #expect(frames.allSatisfy { $0.width == 64 && $0.height == 48 && $0.rgb.count == 64 * 48 * 3 })
        #expect(decoder.decodeErrors == 0 && decoder.readFailure == nil)
        // The pixels are ffmpeg's own decode of the same file.
        let reference = try DecodeFixtures.ffmpegRGB(file, width: 64, height: 48, in: folder)
        #expect(reference.count == frames.count)
        for (frame, pixels) in zip(frames, reference) {
            let difference = DecodeFixtures.meanAbsoluteDifference(frame.rgb, pixels)
            #expect(difference < 2, "frame \(frame.index) differs from ffmpeg's by \(difference) on average")
        }
    }

    /// Which AV1 decoder libavcodec picked (libdav1d on Debian 12), so the report says what was tested.
    @Test func av1UsesASoftwareDecoder() throws {
        let folder = try TemporaryFolder("video-decode")
        let av1 = try #require(DecodeFixtures.codecs.first { $0.name == "av1" })
        let file = try DecodeFixtures.make(av1, source: Self.testPicture, in: folder, name: "clip")
        let decoder = try VideoDecoder(path: file.path)
        #expect(decoder.info.decoder == "libdav1d")
    }

    @Test func oddSizeIsKept() throws {
        let folder = try TemporaryFolder("video-decode")
        let file = try DecodeFixtures.h264("testsrc=size=321x241:rate=25:duration=0.2", in: folder, name: "odd.mp4", pixelFormat: "yuv444p")
        let (decoder, frames) = try DecodeFixtures.decodeAll(file)
        #expect(decoder.info.width == 321 && decoder.info.height == 241)
        #expect(frames.count == 5 && frames.allSatisfy { $0.width == 321 && $0.height == 241 && $0.rgb.count == 321 * 241 * 3 })
        let reference = try DecodeFixtures.ffmpegRGB(file, width: 321, height: 241, in: folder)
        #expect(DecodeFixtures.meanAbsoluteDifference(frames[0].rgb, reference[0]) < 2)
    }

    @Test func downscalesTheLongSideAndNeverUpscales() throws {
        #expect(VideoDecoder.scaledSize(width: 1280, height: 720, maxSide: 640) == (640, 360))
        #expect(VideoDecoder.scaledSize(width: 720, height: 1280, maxSide: 640) == (360, 640))
        #expect(VideoDecoder.scaledSize(width: 321, height: 241, maxSide: 640) == (321, 241))
        #expect(VideoDecoder.scaledSize(width: 321, height: 241, maxSide: 100) == (100, 75))
        #expect(VideoDecoder.scaledSize(width: 5000, height: 2, maxSide: 640) == (640, 1))

        let folder = try TemporaryFolder("video-decode")
        let file = try DecodeFixtures.h264("testsrc=size=1280x720:rate=25:duration=0.12", in: folder, name: "hd.mp4")
        let (decoder, frames) = try DecodeFixtures.decodeAll(file)
        #expect(decoder.info.sourceWidth == 1280 && decoder.info.width == 640 && decoder.info.height == 360)
        #expect(frames.count == 3 && frames.allSatisfy { $0.width == 640 && $0.height == 360 && $0.rgb.count == 640 * 360 * 3 })
        let reference = try DecodeFixtures.ffmpegRGB(file, width: 640, height: 360, in: folder)
        #expect(DecodeFixtures.meanAbsoluteDifference(frames[0].rgb, reference[0]) < 3)

        let small = try DecodeFixtures.h264("testsrc=size=160x120:rate=25:duration=0.12", in: folder, name: "small.mp4")
        let (smallDecoder, smallFrames) = try DecodeFixtures.decodeAll(small, DecodeSettings(maxSide: 1000))
        #expect(smallDecoder.info.width == 160 && smallDecoder.info.height == 120)
        #expect(smallFrames.allSatisfy { $0.width == 160 && $0.height == 120 })
    }

    /// A solid colour comes out as that colour, for limited-range (H.264) and full-range (MJPEG) YUV.
    @Test(arguments: ["h264", "mjpeg", "vp9"])
    func solidColourDecodesToItsRGB(codecName: String) throws {
        let folder = try TemporaryFolder("video-decode")
        let codec = try #require(DecodeFixtures.codecs.first { $0.name == codecName })
        let file = try DecodeFixtures.make(codec, source: "color=c=0xC03010:size=64x48:rate=25:duration=0.12", in: folder, name: "solid")
        let (_, frames) = try DecodeFixtures.decodeAll(file)
        let frame = try #require(frames.first)
        let expected: [Double] = [0xC0, 0x30, 0x10]
        for channel in 0..<3 {
            let values = stride(from: channel, to: frame.rgb.count, by: 3).map { Double(frame.rgb[$0]) }
            let mean = values.reduce(0, +) / Double(values.count)
            #expect(abs(mean - expected[channel]) < 6, "channel \(channel): \(mean) vs \(expected[channel])")
        }
    }

    /// Top half red, bottom half blue, turned by the track matrix: the output matches ffmpeg's autorotate.
    @Test(arguments: [0, 90, 180, 270])
    func rotatedVideoComesOutUpright(degrees: Int) throws {
        let folder = try TemporaryFolder("video-decode")
        let source = "color=c=blue:size=64x48:rate=25:duration=0.12,drawbox=x=0:y=0:w=64:h=24:color=red:t=fill"
        let file = try DecodeFixtures.h264(source, in: folder, name: "halves.mov", extra: ["-f", "mov"])
        try VideoFixtures.setRotation(of: file, clockwise: degrees)
        let (decoder, frames) = try DecodeFixtures.decodeAll(file)
        let (width, height) = degrees % 180 == 0 ? (64, 48) : (48, 64)
        #expect(decoder.info.rotation == degrees)
        #expect(decoder.info.width == width && decoder.info.height == height)
        let frame = try #require(frames.first)
        #expect(frame.width == width && frame.height == height)
        let reference = try DecodeFixtures.ffmpegRGB(file, width: width, height: height, in: folder)
        #expect(DecodeFixtures.meanAbsoluteDifference(frame.rgb, try #require(reference.first)) < 3)
        // Where the red half went: clockwise 90 puts the top on the right.
        func red(_ x: Int, _ y: Int) -> Bool { frame.rgb[(y * width + x) * 3] > 128 }
        switch degrees {
        case 0: #expect(red(width / 2, 2) && !red(width / 2, height - 3))
        case 90: #expect(red(width - 3, height / 2) && !red(2, height / 2))
        case 180: #expect(!red(width / 2, 2) && red(width / 2, height - 3))
        default: #expect(red(2, height / 2) && !red(width - 3, height / 2))
        }
    }

    /// ffmpeg 5.1's `rotate` tag (it writes the 270° matrix), and rotation combined with downscaling.
    @Test func rotateTagAndDownscaleAgreeWithFFmpeg() throws {
        let folder = try TemporaryFolder("video-decode")
        let plain = try DecodeFixtures.h264("testsrc=size=1280x720:rate=25:duration=0.08", in: folder, name: "plain.mp4")
        let tagged = folder("tagged.mp4")
        try VideoFixtures.ffmpeg(["-i", plain.path, "-c", "copy", "-metadata:s:v", "rotate=90"], to: tagged)
        let (decoder, frames) = try DecodeFixtures.decodeAll(tagged)
        #expect(decoder.info.rotation == 90 || decoder.info.rotation == 270)
        #expect(decoder.info.width == 360 && decoder.info.height == 640)
        let frame = try #require(frames.first)
        let reference = try DecodeFixtures.ffmpegRGB(tagged, width: 360, height: 640, in: folder)
        #expect(DecodeFixtures.meanAbsoluteDifference(frame.rgb, try #require(reference.first)) < 4)
    }

    /// Variable frame rate: every frame at its own time, as ffprobe says.
    @Test func variableFrameRateKeepsTrueTimes() throws {
        let folder = try TemporaryFolder("video-decode")
        let file = try VideoFixtures.make(.variableRateMP4, in: folder.url, name: "vfr")
        let (decoder, frames) = try DecodeFixtures.decodeAll(file)
        let expected = try DecodeFixtures.ffprobeTimes(file)
        #expect(decoder.info.fps == 25, "the higher of avg_frame_rate and r_frame_rate, capped at 30")
        #expect(frames.count == 25 && expected.count == 25)
        for (frame, time) in zip(frames, expected) { #expect(abs(frame.time - time) < 1e-6) }
        // Frame n < 12 at 2n ticks, then n + 12 ticks (25 a second): 0, 0.08, ... 0.88, 0.96, 1.0, 1.04, ...
        #expect(abs(frames[1].time - 0.08) < 1e-6 && abs(frames[12].time - 0.96) < 1e-6 && abs(frames[13].time - 1.0) < 1e-6)
    }

    /// Resampling a variable-rate video to 10 fps follows the slot rule on the true times.
    @Test func variableFrameRateResamplesBySlots() throws {
        let folder = try TemporaryFolder("video-decode")
        let file = try VideoFixtures.make(.variableRateMP4, in: folder.url, name: "vfr")
        let (_, frames) = try DecodeFixtures.decodeAll(file, DecodeSettings(fps: 10))
        // Frame n at 2n ticks (n < 12), then at n + 12 ticks, 25 ticks a second; slots every 2.5 ticks,
        // a frame up to 0.625 ticks early counts. Kept at ticks 0, 2 (slot 2.5), 6, 8, 10, 12 (12.5), ...
        #expect(frames.map(\.index) == [0, 1, 3, 4, 5, 6, 8, 9, 10, 11, 13, 15, 18, 20, 23])
        let ticks = [0, 2, 6, 8, 10, 12, 16, 18, 20, 22, 25, 27, 30, 32, 35]
        for (frame, tick) in zip(frames, ticks) { #expect(abs(frame.time - Double(tick) / 25) < 1e-6) }
    }

    /// 60 fps to 30 keeps every other frame, each at its true time; 60 to 7 keeps one a slot.
    @Test func resamplingKeepsTrueTimes() throws {
        let folder = try TemporaryFolder("video-decode")
        let file = try DecodeFixtures.h264("testsrc=size=64x48:rate=60:duration=1", in: folder, name: "sixty.mp4")
        let expected = try DecodeFixtures.ffprobeTimes(file)
        #expect(expected.count == 60)

        let (decoder, frames) = try DecodeFixtures.decodeAll(file)
        #expect(decoder.info.sourceFPS == 60 && decoder.info.fps == 30)
        #expect(frames.count == 30)
        #expect(frames.map(\.index) == Array(stride(from: 0, to: 60, by: 2)))
        for frame in frames { #expect(abs(frame.time - expected[frame.index]) < 1e-6) }

        let (all, allFrames) = try DecodeFixtures.decodeAll(file, DecodeSettings(fps: 60))
        #expect(all.info.fps == 60 && allFrames.count == 60)
        // Asking for more than the stream has keeps every frame and records the stream's rate.
        let (faster, fasterFrames) = try DecodeFixtures.decodeAll(file, DecodeSettings(fps: 120))
        #expect(faster.info.fps == 60 && fasterFrames.count == 60)

        // Slot k at k/7 s: the first frame at most a quarter slot before it, its own time kept (not k/7);
        // frame 58 (0.967 s) is within a quarter slot of 1 s.
        let (_, seven) = try DecodeFixtures.decodeAll(file, DecodeSettings(fps: 7))
        #expect(seven.map(\.index) == [0, 7, 15, 24, 33, 41, 50, 58])
        for frame in seven { #expect(abs(frame.time - expected[frame.index]) < 1e-6) }
    }

    /// WebM stores whole milliseconds (0, 0.033, 0.067, ...): every 30 fps frame is kept, half of 60 fps.
    @Test func millisecondTimeBasesKeepEveryFrameAtTheirOwnRate() throws {
        let folder = try TemporaryFolder("video-decode")
        for rate in [30, 60] {
            let file = folder.url.appendingPathComponent("ms\(rate).webm")
            try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=\(rate):duration=1", "-c:v", "libvpx-vp9",
                                      "-deadline", "realtime"], to: file)
            let expected = try DecodeFixtures.ffprobeTimes(file)
            #expect(expected.count == rate && abs(expected[1] - (rate == 30 ? 0.033 : 0.017)) < 1e-9, "whole milliseconds")
            let (_, frames) = try DecodeFixtures.decodeAll(file)
            #expect(frames.map(\.index) == Array(stride(from: 0, to: rate, by: rate / 30)), "\(frames.map(\.time))")
        }
    }

    /// Frame threading gives the same frames as one thread.
    @Test func frameThreadingGivesTheSameFrames() throws {
        let folder = try TemporaryFolder("video-decode")
        let file = try DecodeFixtures.h264("testsrc=size=160x120:rate=25:duration=1", in: folder, name: "threads.mp4")
        let (_, one) = try DecodeFixtures.decodeAll(file, DecodeSettings(threads: 1))
        let (_, two) = try DecodeFixtures.decodeAll(file, DecodeSettings(threads: 2))
        let (_, automatic) = try DecodeFixtures.decodeAll(file, DecodeSettings(threads: 0))
        #expect(one.count == 25 && one == two && one == automatic)
    }
}
