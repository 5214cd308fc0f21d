import CFFmpeg
import Foundation
import Testing
import TestSupport
@testable import Video

/// VideoEncoder on real files: decode every frame, encode it, and ask ffprobe about the result.
@Suite struct VideoEncoderTests {
    /// An input clip to re-encode, made by the ffmpeg CLI.
    struct Clip: Sendable, CustomStringConvertible {
        var name: String
        var arguments: [String]
        var width: Int, height: Int
        /// The size the encoder writes.
        var encodedWidth: Int, encodedHeight: Int
        var hasAudio: Bool
        var codec: VideoCodecChoice = .automatic
        var description: String { name }

        func make(in folder: TemporaryFolder) throws -> URL {
            let file = folder("\(name).mp4")
            try VideoFixtures.ffmpeg(arguments, to: file)
            return file
        }
    }

    static let picture = "testsrc2=size=320x240:rate=25:duration=1"
    static let tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]
    static let h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]

    static let clips: [Clip] = [
        Clip(name: "even-with-audio", arguments: ["-f", "lavfi", "-i", picture] + tone + h264 + ["-c:a", "aac", "-shortest"],
             width: 320, height: 240, encodedWidth: 320, encodedHeight: 240, hasAudio: true),
        Clip(name: "even-with-audio-mpeg4", arguments: ["-f", "lavfi", "-i", picture] + tone + h264 + ["-c:a", "aac", "-shortest"],
             width: 320, height: 240, encodedWidth: 320, encodedHeight: 240, hasAudio: true, codec: .mpeg4),
        // 4:4:4 so H.264 can hold the odd size; the encoder drops the last column and row.
        Clip(name: "odd", arguments: ["-f", "lavfi", "-i", "testsrc2=size=321x241:rate=25:duration=1", "-c:v", "libx264",
                                      "-preset", "ultrafast", "-pix_fmt", "yuv444p"],
             width: 321, height: 241, encodedWidth: 320, encodedHeight: 240, hasAudio: false),
        // Frame n of the first half at 2n ticks of 1/25 s, the rest one tick apart.
        Clip(name: "variable-rate", arguments: ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=1",
                                                "-vf", "setpts='if(lt(N,12),2*N,12+N)/25/TB'", "-fps_mode", "vfr"] + h264,
             width: 160, height: 120, encodedWidth: 160, encodedHeight: 120, hasAudio: false),
        Clip(name: "variable-rate-mpeg4", arguments: ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=1",
                                                      "-vf", "setpts='if(lt(N,12),2*N,12+N)/25/TB'", "-fps_mode", "vfr"] + h264,
             width: 160, height: 120, encodedWidth: 160, encodedHeight: 120, hasAudio: false, codec: .mpeg4),
    ]

    /// Decodes every frame of `input` (full size) and encodes it into `output`; the frames (only those
    /// whose index is in `keeping`, when given) and the encoder.
    static func reencode(_ input: URL, to output: URL, codec: VideoCodecChoice = .automatic, copyAudio: Bool = true,
                         keeping: Set<Int>? = nil) throws -> ([DecodedFrame], VideoEncoder) {
        let decoder = try VideoDecoder(path: input.path, settings: .allFrames(threads: 0))
        let encoder = try VideoEncoder(path: output.path, like: decoder, copyAudio: copyAudio, settings: EncodeSettings(codec: codec))
        var frames: [DecodedFrame] = []
        while let frame = try decoder.next() {
            try encoder.write(frame)
            if keeping?.contains(frame.index) ?? true { frames.append(frame) }
        }
        try encoder.finish()
        return (frames, encoder)
    }

    @Test(arguments: clips)
    func reencodedCopyHasTheInputsFramesTimesAndAudio(clip: Clip) throws {
        let folder = try TemporaryFolder("video-encode")
        let input = try clip.make(in: folder)
        let output = folder("annotated.mp4")
        let (frames, encoder) = try Self.reencode(input, to: output, codec: clip.codec)
        let expectedCodec = clip.codec == .mpeg4 ? "mpeg4" : "h264"
        #expect(encoder.codecName == expectedCodec)
        #expect(encoder.encoderName == (clip.codec == .mpeg4 ? "mpeg4" : "libx264"))
        #expect(encoder.width == clip.encodedWidth && encoder.height == clip.encodedHeight)
        #expect(encoder.framesWritten == frames.count)

        let inputReport = try EncodedReport(input)
        let report = try EncodedReport(output)
        #expect(report.videoCodec == expectedCodec)
        #expect(report.width == clip.encodedWidth && report.height == clip.encodedHeight)
        #expect(report.videoFrames == inputReport.videoFrames && report.videoFrames == frames.count)
        #expect(report.pixelFormat == "yuv420p")
        // Every frame at the input's time, within one tick of the output's time base.
        let inputTimes = try DecodeFixtures.ffprobeTimes(input), outputTimes = try DecodeFixtures.ffprobeTimes(output)
        let tick = try #require(report.videoTick)
        #expect(inputTimes.count == outputTimes.count)
        for (n, (a, b)) in zip(inputTimes, outputTimes).enumerated() {
            #expect(abs(a - b) <= tick + 1e-9, "frame \(n): input \(a) s, output \(b) s")
        }
        // The pictures survive (an odd size loses its last column and row, nothing shifts).
        let (_, again) = try DecodeFixtures.decodeAll(output, .allFrames())
        #expect(again.count == frames.count)
        for (original, decoded) in zip(frames, again) {
            #expect(decoded.width == clip.encodedWidth && decoded.height == clip.encodedHeight)
            for channel in 0..<3 {
                let difference = Self.channelDifference(original, decoded, channel: channel)
                #expect(difference < 8, "frame \(original.index) channel \(channel) differs by \(difference) on average")
            }
        }
        if clip.hasAudio {
            #expect(encoder.audioCodec == "aac")
            #expect(report.audioCodec == "aac")
            #expect(report.audioPackets == inputReport.audioPackets && report.audioPackets > 0)
            #expect(encoder.audioPacketsCopied == inputReport.audioPackets)
        } else {
            #expect(encoder.audioCodec == nil && report.audioCodec == nil)
        }
        // Nothing but the output is left in the folder.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(names) == ["\(clip.name).mp4", "annotated.mp4"])
    }

    /// The real Sports2D demo (VP9 1768x994, 230 frames, AAC): every frame, full size, audio copied.
    @Test func demoVideoReencodesFrameForFrame() throws {
        try MediaPipeFixture.requireDemoVideo()
        let folder = try TemporaryFolder("video-encode")
        let input = MediaPipeFixture.demoVideo
        let output = folder("demo-annotated.mp4")
        // Only the frames compared below are kept: all 230 at full size would take 1.2 GB.
        let checked = [0, 115, 229]
        let (frames, encoder) = try Self.reencode(input, to: output, keeping: Set(checked))
        #expect(frames.map(\.index) == checked && encoder.framesWritten == 230)
        let inputReport = try EncodedReport(input), report = try EncodedReport(output)
        #expect(report.videoCodec == "h264" && report.width == 1768 && report.height == 994)
        #expect(report.videoFrames == 230)
        #expect(report.audioCodec == "aac" && report.audioPackets == inputReport.audioPackets)
        let inputTimes = try DecodeFixtures.ffprobeTimes(input), outputTimes = try DecodeFixtures.ffprobeTimes(output)
        let tick = try #require(report.videoTick)
        #expect(inputTimes.count == 230 && outputTimes.count == 230)
        #expect(zip(inputTimes, outputTimes).allSatisfy { abs($0 - $1) <= tick + 1e-9 })
        // Those frames decoded again resemble the input's, channel by channel.
        let decoder = try VideoDecoder(path: output.path, settings: .allFrames())
        var again: [DecodedFrame] = []
        while let frame = try decoder.next() {
            if checked.contains(frame.index) { again.append(frame) }
        }
        #expect(decoder.decodedFrames == 230 && again.count == checked.count)
        for (original, decoded) in zip(frames, again) {
            #expect(original.index == decoded.index && abs(original.time - decoded.time) <= tick + 1e-9)
            for channel in 0..<3 {
                let difference = Self.channelDifference(original, decoded, channel: channel)
                #expect(difference < 6, "frame \(original.index) channel \(channel) differs by \(difference) on average")
            }
        }
    }

    /// Decoded again, the copy's pixels are the input's (no swapped channels, no shift).
    @Test(arguments: [VideoCodecChoice.h264, .mpeg4])
    func encodedPixelsResembleTheInput(codec: VideoCodecChoice) throws {
        let folder = try TemporaryFolder("video-encode")
        let input = try Self.clips[0].make(in: folder)
        let output = folder("copy.mp4")
        let (frames, _) = try Self.reencode(input, to: output, codec: codec, copyAudio: false)
        let (_, again) = try DecodeFixtures.decodeAll(output, .allFrames())
        #expect(again.count == frames.count)
        for (original, decoded) in zip(frames, again) {
            for channel in 0..<3 {
                let difference = Self.channelDifference(original, decoded, channel: channel)
                #expect(difference < 8, "frame \(original.index) channel \(channel) differs by \(difference) on average")
            }
        }
        // Swapping red and blue would be far off: the test picture is colourful.
        let swapped = DecodedFrame(index: 0, time: 0, width: frames[0].width, height: frames[0].height,
                                   rgb: Self.swapRedAndBlue(frames[0].rgb))
        #expect(Self.channelDifference(swapped, again[0], channel: 0) > 20)
    }

    /// A solid colour comes back as that colour.
    @Test(arguments: [VideoCodecChoice.h264, .mpeg4])
    func solidColourSurvives(codec: VideoCodecChoice) throws {
        let folder = try TemporaryFolder("video-encode")
        let output = folder("solid.mp4")
        let encoder = try VideoEncoder(path: output.path, width: 64, height: 48, fps: 25, settings: EncodeSettings(codec: codec))
        let pixel: [UInt8] = [0xC0, 0x30, 0x10]
        let rgb = [UInt8]((0..<(64 * 48)).flatMap { _ in pixel })
        for n in 0..<5 { try encoder.write(rgb: rgb, time: Double(n) / 25) }
        try encoder.finish()
        let (_, frames) = try DecodeFixtures.decodeAll(output, .allFrames())
        #expect(frames.count == 5)
        let frame = try #require(frames.last)
        for channel in 0..<3 {
            let values = stride(from: channel, to: frame.rgb.count, by: 3).map { Double(frame.rgb[$0]) }
            let mean = values.reduce(0, +) / Double(values.count)
            #expect(abs(mean - Double(pixel[channel])) < 6, "channel \(channel): \(mean) vs \(pixel[channel])")
        }
    }

    /// A frame of another size than the encoder's is scaled to it; times not after the last move a tick on.
    @Test func framesOfAnotherSizeAreScaledAndTimesKeepIncreasing() throws {
        let folder = try TemporaryFolder("video-encode")
        let output = folder("scaled.mp4")
        let encoder = try VideoEncoder(path: output.path, width: 64, height: 48, fps: 25, timeBase: TimeBase(numerator: 1, denominator: 25))
        #expect(encoder.timeBase == TimeBase(numerator: 1, denominator: 25))
        // Left half white, right half black, at twice the size.
        let big = [UInt8]((0..<(96 * 128)).flatMap { n -> [UInt8] in n % 128 < 64 ? [255, 255, 255] : [0, 0, 0] })
        try encoder.write(rgb: big, width: 128, height: 96, time: 0)
        try encoder.write(rgb: big, width: 128, height: 96, time: 0)
        try encoder.write(rgb: big, width: 128, height: 96, time: 0.01)
        try encoder.finish()
        #expect(try DecodeFixtures.ffprobeTimes(output) == [0, 0.04, 0.08])
        let (_, frames) = try DecodeFixtures.decodeAll(output, .allFrames())
        let frame = try #require(frames.first)
        #expect(frame.width == 64 && frame.height == 48)
        #expect(frame.rgb[(24 * 64 + 8) * 3] > 200 && frame.rgb[(24 * 64 + 56) * 3] < 50)
    }

    /// Audio and video packets alternate through the file, not all the audio at the end.
    @Test func audioIsInterleavedWithTheVideo() throws {
        let folder = try TemporaryFolder("video-encode")
        let input = folder("long.mp4")
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=4", "-f", "lavfi", "-i",
                                  "sine=frequency=440:duration=4"] + Self.h264 + ["-c:a", "aac", "-shortest"], to: input)
        let output = folder("copy.mp4")
        _ = try Self.reencode(input, to: output)
        let result = try Tools.run("ffprobe", ["-v", "error", "-show_entries", "packet=codec_type,dts_time,pos", "-of", "csv=p=0", output.path])
        #expect(result.status == 0)
        // In file order, neither stream runs more than a second ahead of the other.
        let packets = result.stdout.split(whereSeparator: \.isNewline).compactMap { line -> (String, Double, Int)? in
            let fields = line.split(separator: ",").map(String.init)
            guard fields.count >= 3, let time = Double(fields[1]), let position = Int(fields[2]) else { return nil }
            return (fields[0], time, position)
        }.sorted { $0.2 < $1.2 }
        #expect(packets.contains { $0.0 == "audio" } && packets.contains { $0.0 == "video" })
        var latest: [String: Double] = [:]
        var worstLag = 0.0
        for (kind, time, _) in packets {
            latest[kind] = max(latest[kind] ?? time, time)
            if let other = latest.first(where: { $0.key != kind })?.value { worstLag = max(worstLag, other - time) }
        }
        #expect(worstLag < 1, "a packet comes \(worstLag) s after the other stream's in the file")
    }

    /// Released without finish(): no file at all, under either name. A failed write removes it at once.
    @Test func unfinishedEncoderLeavesNoFile() throws {
        let folder = try TemporaryFolder("video-encode")
        let rgb = [UInt8](repeating: 128, count: 64 * 48 * 3)
        do {
            let encoder = try VideoEncoder(path: folder("dropped.mp4").path, width: 64, height: 48, fps: 25)
            for n in 0..<10 { try encoder.write(rgb: rgb, time: Double(n) / 25) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1, "the hidden partial file")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        let encoder = try VideoEncoder(path: folder("failed.mp4").path, width: 64, height: 48, fps: 25)
        try encoder.write(rgb: rgb, time: 0)
        #expect(throws: VideoError.self) { try encoder.write(rgb: [1, 2, 3], time: 0.04) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let again = #expect(throws: VideoError.self) { try encoder.finish() }
        #expect(again?.reason == "cannot finish: the encoder is failed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// The partial file is hidden, beside the target, with the real extension last.
    @Test func temporaryNameIsHiddenBesideTheOutput() {
        let name = OutputFile.temporaryName(for: "/videos/out/clip.annotated.mp4")
        #expect(name.hasPrefix("/videos/out/.clip.annotated.partial-\(getpid())-") && name.hasSuffix(".mp4"))
        #expect(OutputFile.temporaryName(for: "clip").hasPrefix(".clip.partial-"))
    }

    /// Output paths that cannot be written give a VideoError naming the path; nothing is left behind.
    @Test func unwritableOutputsAreNamed() throws {
        let folder = try TemporaryFolder("video-encode")
        try folder.write("file.txt", "not a folder")
        func failure(_ path: String, _ settings: EncodeSettings = EncodeSettings()) -> VideoError? {
            do {
                let encoder = try VideoEncoder(path: path, width: 64, height: 48, fps: 25, settings: settings)
                try encoder.write(rgb: [UInt8](repeating: 0, count: 64 * 48 * 3), time: 0)
                try encoder.finish()
                return nil
            } catch { return error }
        }
        let missing = folder("no/such/folder/out.mp4").path
        #expect(failure(missing)?.description == "\(missing): the folder \(folder.path)/no/such/folder does not exist (No such file or directory)")
        let underFile = folder("file.txt/out.mp4").path
        #expect(failure(underFile)?.reason == "\(folder.path)/file.txt is not a folder (Not a directory)")
        #expect(failure(folder.path)?.reason == "is a folder; give the path of a video file to write")
        let unknown = folder("out.nosuchformat").path
        #expect(failure(unknown)?.reason.hasPrefix("libavformat has no container for this file name; end it in .mp4, .mkv or .mov") == true)
        let webm = folder("out.webm").path
        #expect(failure(webm)?.reason == "the webm format cannot hold H.264 or MPEG-4 video; end the name in .mp4, .mkv or .mov")
        #expect(failure(folder("odd.mp4").path, EncodeSettings(crf: 60))?.reason == "crf must be between 0 and 51, not 60.0")
        #expect(throws: VideoError.self) { try VideoEncoder(path: folder("tiny.mp4").path, width: 1, height: 48, fps: 25) }
        #expect(throws: VideoError.self) { try VideoEncoder(path: folder("nofps.mp4").path, width: 64, height: 48, fps: 0) }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names == ["file.txt"])
    }

    /// No frames: finish() says so and makes no file.
    @Test func finishingWithoutFramesMakesNoFile() throws {
        let folder = try TemporaryFolder("video-encode")
        let encoder = try VideoEncoder(path: folder("empty.mp4").path, width: 64, height: 48, fps: 25)
        let error = #expect(throws: VideoError.self) { try encoder.finish() }
        #expect(error?.reason == "no frames were written, so no video was made")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// Audio the container cannot hold (PCM in MP4) is an error before any frame, naming the codec;
    /// without audio copy the same input encodes.
    @Test func audioTheContainerCannotHoldIsAnError() throws {
        let folder = try TemporaryFolder("video-encode")
        let input = folder("pcm.mkv")
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=0.4"] + Self.tone
                                 + Self.h264 + ["-c:a", "pcm_s16le", "-shortest"], to: input)
        let output = folder("copy.mp4")
        let error = #expect(throws: VideoError.self) { _ = try Self.reencode(input, to: output) }
        #expect(error?.path == output.path)
        #expect(error?.reason == "the mp4 format cannot hold the pcm_s16le audio of \(input.path); write a .mkv, or leave the audio out")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pcm.mkv"])
        // Matroska holds PCM; and MP4 without the audio is fine.
        let mkv = folder("copy.mkv")
        let (_, withAudio) = try Self.reencode(input, to: mkv)
        #expect(withAudio.audioCodec == "pcm_s16le")
        #expect(try EncodedReport(mkv).audioCodec == "pcm_s16le")
        let (_, silent) = try Self.reencode(input, to: output, copyAudio: false)
        #expect(silent.audioCodec == nil)
        #expect(try EncodedReport(output).audioCodec == nil)
    }

    /// A missing audio source names both files.
    @Test func missingAudioSourceIsNamed() throws {
        let folder = try TemporaryFolder("video-encode")
        let output = folder("out.mp4").path, source = folder("gone.mp4").path
        let error = #expect(throws: VideoError.self) {
            try VideoEncoder(path: output, width: 64, height: 48, fps: 25, audioFrom: source)
        }
        #expect(error?.description == "\(output): cannot copy the audio of \(source): no such file (No such file or directory)")
    }

    /// The all-frames setting keeps every frame of a 60 fps clip (the default keeps 30 a second) and states the source rate.
    @Test func allFramesSettingKeepsEveryFrame() throws {
        let folder = try TemporaryFolder("video-encode")
        let file = try DecodeFixtures.h264("testsrc=size=64x48:rate=60:duration=1", in: folder, name: "sixty.mp4")
        let (decoder, frames) = try DecodeFixtures.decodeAll(file, .allFrames())
        #expect(decoder.info.fps == 60 && frames.count == 60)
        #expect(frames.map(\.index) == Array(0..<60))
        #expect(decoder.info.timeBase == TimeBase(numerator: 1, denominator: 15360))
        let expected = try DecodeFixtures.ffprobeTimes(file)
        #expect(zip(frames, expected).allSatisfy { abs($0.time - $1) < 1e-6 })
        #expect(throws: VideoError.self) { try VideoDecoder(path: file.path, settings: DecodeSettings(fps: 10, keepAllFrames: true)) }
        let (_, defaults) = try DecodeFixtures.decodeAll(file)
        #expect(defaults.count == 30)
    }

    /// FFmpeg 5.1's swscale writes past the end of an RGB24 picture whose width is not a multiple of
    /// 16 (24 bytes at 1768, the demo's width): the decoder's frames leave room for it.
    @Test(arguments: [1768, 1770, 360, 1000, 1922, 64, 321])
    func swscaleOverrunFitsTheDecodersSpareRoom(width: Int) throws {
        let height = 994
        let frame = try #require(av_frame_alloc())
        var owned: UnsafeMutablePointer<AVFrame>? = frame
        defer { av_frame_free(&owned) }
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        #expect(av_frame_get_buffer(frame, 0) >= 0)
        let scaler = try #require(sws_getContext(Int32(width), Int32(height), AV_PIX_FMT_YUV420P, Int32(width), Int32(height),
                                                 AV_PIX_FMT_RGB24, SWS_AREA, nil, nil, nil))
        defer { sws_freeContext(scaler) }
        let size = width * height * 3, canary = 4 * VideoDecoder.swscaleOverrun
        var output = [UInt8](repeating: 0xAB, count: size + canary)
        let rows = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var destination: [UnsafeMutablePointer<UInt8>?] = [buffer.baseAddress, nil, nil, nil]
            var destinationStride: [Int32] = [Int32(width * 3), 0, 0, 0]
            return withUnsafePointer(to: &frame.pointee.data) { data in
                withUnsafePointer(to: &frame.pointee.linesize) { linesize in
                    data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { planes in
                        linesize.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                            sws_scale(scaler, planes, strides, 0, Int32(height), &destination, &destinationStride)
                        }
                    }
                }
            }
        }
        #expect(rows == Int32(height))
        let lastWritten: Int? = (0..<canary).last { output[size + $0] != 0xAB }
        let overrun = lastWritten.map { $0 + 1 } ?? 0
        #expect(overrun <= VideoDecoder.swscaleOverrun, "swscale wrote \(overrun) bytes past a \(width)-wide picture")
    }

    static func channelDifference(_ a: DecodedFrame, _ b: DecodedFrame, channel: Int) -> Double {
        let width = min(a.width, b.width), height = min(a.height, b.height)
        var sum = 0
        for y in 0..<height {
            for x in 0..<width {
                sum += abs(Int(a.rgb[(y * a.width + x) * 3 + channel]) - Int(b.rgb[(y * b.width + x) * 3 + channel]))
            }
        }
        return Double(sum) / Double(max(width * height, 1))
    }

    static func swapRedAndBlue(_ rgb: [UInt8]) -> [UInt8] {
        var swapped = rgb
        for i in stride(from: 0, to: rgb.count, by: 3) { swapped.swapAt(i, i + 2) }
        return swapped
    }
}

/// What ffprobe says about a file's first video and audio streams, counting frames and packets.
struct EncodedReport {
    var videoCodec: String?, audioCodec: String?
    var width = 0, height = 0
    var pixelFormat: String?
    var videoFrames = 0, audioPackets = 0
    /// Seconds per tick of the video stream's time base.
    var videoTick: Double?

    init(_ file: URL) throws {
        let result = try Tools.run("ffprobe", ["-v", "error", "-count_frames", "-count_packets", "-show_entries",
                                               "stream=codec_type,codec_name,width,height,pix_fmt,time_base,nb_read_frames,nb_read_packets",
                                               "-of", "json", file.path])
        guard result.status == 0 else { throw FixtureError("ffprobe \(file.path) failed: \(result.all)") }
        guard let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let streams = json["streams"] as? [[String: Any]] else { throw FixtureError("ffprobe gave no streams for \(file.path)") }
        if let video = streams.first(where: { $0["codec_type"] as? String == "video" }) {
            videoCodec = video["codec_name"] as? String
            width = video["width"] as? Int ?? 0
            height = video["height"] as? Int ?? 0
            pixelFormat = video["pix_fmt"] as? String
            videoFrames = (video["nb_read_frames"] as? String).flatMap(Int.init) ?? 0
            videoTick = (video["time_base"] as? String).flatMap(FFprobeReport.rate)
        }
        if let audio = streams.first(where: { $0["codec_type"] as? String == "audio" }) {
            audioCodec = audio["codec_name"] as? String
            audioPackets = (audio["nb_read_packets"] as? String).flatMap(Int.init) ?? 0
        }
    }
}
