import Foundation
import Testing
import TestSupport
@testable import Video

/// Live sources: a stream on a pipe (from a real ffmpeg process) and a capture device that is not there.
@Suite struct LiveInputTests {
    /// Runs `program` with its standard output on a pipe; the caller reads the pipe and waits.
    static func startPiped(_ program: String, _ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Only the child writes: with the parent's copy closed, the pipe ends when the child does.
        try? pipe.fileHandleForWriting.close()
        return (process, pipe)
    }

    /// Every frame of the stream on `pipe`, then the child's exit status.
    static func decodePipe(_ process: Process, _ pipe: Pipe, _ settings: DecodeSettings) -> (Result<[DecodedFrame], VideoError>, Int32) {
        let fd = pipe.fileHandleForReading.fileDescriptor
        let result = Result { () throws(VideoError) -> [DecodedFrame] in
            let decoder = try VideoDecoder(source: .pipe(fd), settings: settings)
            #expect(decoder.path == "pipe:\(fd)" && decoder.source == .pipe(fd))
            var frames: [DecodedFrame] = []
            while let frame = try decoder.next() { frames.append(frame) }
            return frames
        }
        // The decoder leaves the descriptor open: the caller owns it.
        #expect(fcntl(fd, F_GETFD) != -1)
        try? pipe.fileHandleForReading.close()
        process.waitUntilExit()
        return (result, process.terminationStatus)
    }

    /// MPEG-TS piped from ffmpeg (a copy of a file, or encoded on the fly) decodes to the file's frames and times.
    @Test(arguments: ["copy", "encode"], [DecodeSettings(), .allFrames()])
    func pipedStreamGivesTheFilesFrames(mode: String, settings: DecodeSettings) throws {
        let folder = try TemporaryFolder("video-live")
        let source = ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=1"]
        let encode = ["-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-pix_fmt", "yuv420p", "-threads", "1"]
        let file = folder("clip.ts")
        try VideoFixtures.ffmpeg(source + encode + ["-f", "mpegts"], to: file)
        let arguments = mode == "copy" ? ["-i", file.path, "-c", "copy"] : source + encode
        let (process, pipe) = try Self.startPiped("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin"] + arguments + ["-f", "mpegts", "-"])
        let (result, status) = Self.decodePipe(process, pipe, settings)
        #expect(status == 0)
        let piped = try result.get()
        let (decoder, fromFile) = try DecodeFixtures.decodeAll(file, settings)
        #expect(decoder.info.width == 160 && decoder.info.height == 120)
        #expect(fromFile.count == 25)
        #expect(piped.count == fromFile.count)
        for (a, b) in zip(piped, fromFile) {
            #expect(a.index == b.index && abs(a.time - b.time) < 1e-6, "frame \(a.index) at \(a.time) s, from the file \(b.time) s")
        }
        // The same pixels: the same stream, decoded the same way.
        #expect(zip(piped, fromFile).allSatisfy { $0.rgb == $1.rgb })
    }

    /// A pipe of garbage, or of nothing, is a VideoError naming the pipe, not a hang or a crash.
    @Test(arguments: ["random", "text", "empty"])
    func pipeOfGarbageIsAVideoError(kind: String) throws {
        let folder = try TemporaryFolder("video-live")
        let garbage = switch kind {
        case "random": pseudoRandomBytes(300_000, seed: 13)
        case "text": Data(String(repeating: "this is not a video stream\n", count: 5000).utf8)
        default: Data()
        }
        let file = try folder.write("garbage.bin", garbage)
        let (process, pipe) = try Self.startPiped("cat", [file.path])
        let fd = pipe.fileHandleForReading.fileDescriptor
        let (result, status) = Self.decodePipe(process, pipe, DecodeSettings())
        #expect(status == 0)
        guard case .failure(let error) = result else {
            Issue.record("\(kind) garbage decoded to frames")
            return
        }
        #expect(error.path == "pipe:\(fd)")
        #expect(error.description.hasPrefix("pipe:\(fd): "))
        if kind == "empty" {
            #expect(error.reason == "not a video stream libavformat can read (nothing at all, or not a streamable format such as MPEG-TS) "
                    + "(Invalid data found when processing input)")
        }
    }

    /// A descriptor that is not open is refused before libav sees it.
    @Test func closedDescriptorIsAVideoError() throws {
        let pipe = Pipe()
        let fd = pipe.fileHandleForReading.fileDescriptor
        try pipe.fileHandleForReading.close()
        try pipe.fileHandleForWriting.close()
        let error = #expect(throws: VideoError.self) { try VideoDecoder(source: .pipe(fd)) }
        #expect(error?.description == "pipe:\(fd): is not an open file descriptor")
    }

    /// This machine has no camera: a missing /dev/video9 is a clear error, and so is a character
    /// device that is not a camera (/dev/null, through libavdevice's v4l2 input itself).
    @Test func missingOrWrongDeviceIsAVideoError() throws {
        let missing = #expect(throws: VideoError.self) { try VideoDecoder(source: .device("/dev/video9")) }
        #expect(missing?.path == "/dev/video9")
        #expect(missing?.reason.hasPrefix("no such video device (No such file or directory); is the camera connected?") == true)
        let notACamera = #expect(throws: VideoError.self) { try VideoDecoder(source: .device("/dev/null")) }
        #expect(notACamera?.path == "/dev/null")
        #expect(notACamera?.reason == "cannot capture from the device (Inappropriate ioctl for device)")
        let folder = try TemporaryFolder("video-live")
        let regular = try folder.write("video0", "a file")
        let notADevice = #expect(throws: VideoError.self) { try VideoDecoder(source: .device(regular.path)) }
        #expect(notADevice?.reason == "is not a device; a webcam is a /dev/videoN character device")
    }

    @Test func argumentsNameTheirSource() {
        #expect(VideoSource.parse("-") == .pipe(0))
        #expect(VideoSource.parse("/dev/video0") == .device("/dev/video0"))
        #expect(VideoSource.parse("clip.mp4") == .file("clip.mp4"))
        #expect(VideoSource.parse("./-") == .file("./-"))
        #expect(VideoSource.pipe(0).description == "pipe:0")
        #expect(VideoSource.device("/dev/video2").description == "/dev/video2")
    }

    /// Files opened as a source behave exactly as `init(path:)`: named pipes are still refused.
    @Test func fileSourceRefusesNamedPipes() throws {
        let folder = try TemporaryFolder("video-live")
        let fifo = folder("fifo.mp4").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let error = #expect(throws: VideoError.self) { try VideoDecoder(source: .file(fifo)) }
        #expect(error?.reason == "is a named pipe, not a video file")
    }
}
