import Foundation
import Testing
import TestSupport
import Video

/// `rotation` means what ffmpeg's own autorotate does: turn the decoded picture that many degrees clockwise.
@Suite struct VideoRotationTests {
    /// Corners of a picture, clockwise from the top left, so turning 90° clockwise moves one step.
    enum Corner: Int { case topLeft, topRight, bottomRight, bottomLeft }

    /// A 64x48 black H.264 MOV with a white box in its top-left corner.
    static func markedVideo(in folder: TemporaryFolder, name: String) throws -> URL {
        let file = folder("\(name).mov")
        let source = "color=c=black:size=64x48:rate=25:duration=0.2,drawbox=x=0:y=0:w=16:h=12:color=white:t=fill"
        try VideoFixtures.ffmpeg(["-f", "lavfi", "-i", source, "-c:v", "libx264", "-preset", "ultrafast",
                                  "-pix_fmt", "yuv420p", "-f", "mov"], to: file)
        return file
    }

    /// The corner the white box is in after ffmpeg decodes the first frame with autorotate on.
    static func markedCornerAsDisplayed(_ file: URL, in folder: TemporaryFolder) throws -> Corner {
        let frame = folder("\(file.deletingPathExtension().lastPathComponent).pgm")
        try VideoFixtures.ffmpeg(["-i", file.path, "-frames:v", "1", "-pix_fmt", "gray", "-c:v", "pgm", "-f", "image2"], to: frame)
        // Binary PGM: "P5\n<width> <height>\n255\n" then one byte per pixel.
        let bytes = [UInt8](try Data(contentsOf: frame))
        let header = String(decoding: bytes.prefix(20), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let width = try #require(Int(header[1])), height = try #require(Int(header[2]))
        let pixels = bytes.suffix(width * height).map(Int.init)
        func brightness(_ xs: Range<Int>, _ ys: Range<Int>) -> Int {
            ys.reduce(0) { sum, y in xs.reduce(sum) { $0 + pixels[y * width + $1] } }
        }
        let left = 0..<width / 2, right = width / 2..<width, top = 0..<height / 2, bottom = height / 2..<height
        let corners: [(Corner, Int)] = [(.topLeft, brightness(left, top)), (.topRight, brightness(right, top)),
                                        (.bottomRight, brightness(right, bottom)), (.bottomLeft, brightness(left, bottom))]
        return corners.max { $0.1 < $1.1 }!.0
    }

    @Test(arguments: [0, 90, 180, 270])
    func trackMatrixRotationIsClockwise(degrees: Int) throws {
        let folder = try TemporaryFolder("video-rotation")
        let file = try Self.markedVideo(in: folder, name: "marked")
        try VideoFixtures.setRotation(of: file, clockwise: degrees)
        let info = try VideoProbe.probe(path: file.path)
        #expect(info.rotation == degrees)
        #expect(info.width == 64 && info.height == 48, "coded size, before rotation")
        let displayed = try Self.markedCornerAsDisplayed(file, in: folder)
        #expect(displayed == Corner(rawValue: degrees / 90))
    }

    /// ffmpeg's `rotate` tag: whatever matrix this ffmpeg writes for it, the probe agrees with autorotate.
    /// (ffmpeg 5.1 writes the 270° matrix for `rotate=90`; see docs/VIDEO.md.)
    @Test func rotateTagAgreesWithAutorotate() throws {
        let folder = try TemporaryFolder("video-rotation")
        let plain = try Self.markedVideo(in: folder, name: "plain")
        let tagged = folder("tagged.mov")
        try VideoFixtures.ffmpeg(["-i", plain.path, "-c", "copy", "-metadata:s:v:0", "rotate=90", "-f", "mov"], to: tagged)
        let info = try VideoProbe.probe(path: tagged.path)
        let displayed = try Self.markedCornerAsDisplayed(tagged, in: folder)
        #expect(displayed == Corner(rawValue: info.rotation / 90))
    }
}
