import Foundation
import Pose
import TestSupport

/// The Sports2D demo video (jumping jacks, 1768x994, 30 fps, 230 frames) that `make setup` unpacks,
/// decoded to RGB24 by the ffmpeg CLI (the Swift decoder is built elsewhere).
enum DemoVideo {
    static let width = 1768, height = 994, frameCount = 230, fps = 30.0
    static let root = MediaPipeFixture.root
    static let folder = MediaPipeFixture.folder
    static let files = MediaPipeFiles(folder: folder)
    static let video = MediaPipeFixture.demoVideo
    static let referencePython = MediaPipeFixture.referencePython

    /// The timestamp of frame `index` in milliseconds.
    static func timestamp(_ index: Int) -> Int64 { Int64((Double(index) * 1000 / fps).rounded()) }

    /// Writes frames `indices` (sorted) as raw RGB24, one after another, to `file`.
    static func writeFrames(_ indices: [Int], to file: URL) throws {
        try requireVideo()
        let select = "select='" + indices.map { "eq(n\\,\($0))" }.joined(separator: "+") + "'"
        let result = try Tools.run("ffmpeg", ["-v", "error", "-y", "-i", video.path, "-vf", select, "-fps_mode", "passthrough",
                                              "-f", "rawvideo", "-pix_fmt", "rgb24", file.path])
        guard result.status == 0 else { throw FixtureError("ffmpeg could not decode \(video.path): \(result.all)") }
    }

    /// The frames in `file` as written by `writeFrames`.
    static func readFrames(_ file: URL) throws -> [RGBFrame] {
        let data = try Data(contentsOf: file)
        let size = width * height * 3
        guard data.count % size == 0 else { throw FixtureError("\(file.path): \(data.count) bytes is not a whole number of frames") }
        return (0..<data.count / size).map { RGBFrame(width: width, height: height, pixels: [UInt8](data[$0 * size..<($0 + 1) * size])) }
    }

    /// Calls `body` with every frame of the video in order, streamed from ffmpeg (all 230 would be 1.2 GB).
    static func forEachFrame(_ body: (Int, RGBFrame) throws -> Void) throws {
        try requireVideo()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-i", video.path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let size = width * height * 3
        var index = 0
        var buffer = Data()
        while let chunk = try pipe.fileHandleForReading.read(upToCount: size - buffer.count), !chunk.isEmpty {
            buffer.append(chunk)
            if buffer.count == size {
                try body(index, RGBFrame(width: width, height: height, pixels: [UInt8](buffer)))
                buffer.removeAll(keepingCapacity: true)
                index += 1
            }
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, buffer.isEmpty else {
            throw FixtureError("ffmpeg decoding \(video.path) ended with status \(process.terminationStatus) after \(index) frames")
        }
    }

    private static func requireVideo() throws { try MediaPipeFixture.requireDemoVideo() }
}
