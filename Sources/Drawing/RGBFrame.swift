import Foundation

/// A rectangle of whole pixels, `x0..<x1` by `y0..<y1`; the part of a frame an overlay touches.
struct PixelRegion: Equatable {
    var x0, y0, x1, y1: Int
    var isEmpty: Bool { x1 <= x0 || y1 <= y0 }

    /// The whole of a `width` × `height` frame.
    static func whole(width: Int, height: Int) -> PixelRegion { PixelRegion(x0: 0, y0: 0, x1: width, y1: height) }
}

/// Packed RGB24 frames (`width * height * 3` bytes, top row first, R G B) to and from a canvas's 32-bit pixels.
enum RGBFrame {
    /// Checks that `bytes` holds exactly one RGB24 frame of this size.
    static func validate(count: Int, width: Int, height: Int) throws {
        guard width > 0, height > 0 else {
            throw ChartDataError(message: "frame size \(width)x\(height); both sides must be at least 1")
        }
        let (pixels, tall) = width.multipliedReportingOverflow(by: height)
        let (expected, wide) = pixels.multipliedReportingOverflow(by: 3)
        let overflow = tall || wide
        guard !overflow, count == expected else {
            throw ChartDataError(message: "\(count) bytes for a \(width)x\(height) RGB24 frame (expected \(overflow ? "more than Int.max" : "\(expected)"))")
        }
    }

    /// Copies `region` of the frame into the canvas, which must have the frame's size.
    static func load(_ bytes: [UInt8], width: Int, region: PixelRegion, into canvas: CairoCanvas) throws {
        guard !region.isEmpty else { return }
        try bytes.withUnsafeBufferPointer { source in
            guard let source = source.baseAddress else { return }
            try canvas.withPixels { pixels, stride in
                let count = region.x1 - region.x0
                for y in region.y0..<region.y1 {
                    var from = source + (y * width + region.x0) * 3
                    var to = pixels + y * stride + region.x0
                    for _ in 0..<count {
                        to.pointee = UInt32(from[0]) << 16 | UInt32(from[1]) << 8 | UInt32(from[2])
                        from += 3
                        to += 1
                    }
                }
            }
        }
    }

    /// Copies `region` of the canvas back into the frame, which must have the canvas's size.
    static func store(_ canvas: CairoCanvas, region: PixelRegion, into bytes: inout [UInt8], width: Int) throws {
        guard !region.isEmpty else { return }
        try bytes.withUnsafeMutableBufferPointer { target in
            guard let target = target.baseAddress else { return }
            try canvas.withPixels { pixels, stride in
                let count = region.x1 - region.x0
                for y in region.y0..<region.y1 {
                    var from = UnsafePointer(pixels + y * stride + region.x0)
                    var to = target + (y * width + region.x0) * 3
                    for _ in 0..<count {
                        let word = from.pointee
                        to[0] = UInt8(truncatingIfNeeded: word >> 16)
                        to[1] = UInt8(truncatingIfNeeded: word >> 8)
                        to[2] = UInt8(truncatingIfNeeded: word)
                        from += 1
                        to += 3
                    }
                }
            }
        }
    }

    /// A new canvas showing the frame.
    static func canvas(_ bytes: [UInt8], width: Int, height: Int) throws -> CairoCanvas {
        try validate(count: bytes.count, width: width, height: height)
        let canvas = try CairoCanvas(width: width, height: height)
        try load(bytes, width: width, region: .whole(width: width, height: height), into: canvas)
        return canvas
    }

    /// Writes the frame as a PNG atomically, as the charts do (`ChartParts.write`); throws a `DrawingError` naming `url`.
    static func writePNG(_ bytes: [UInt8], width: Int, height: Int, to url: URL) throws {
        try ChartParts.write(to: url) { try canvas(bytes, width: width, height: height) }
    }
}
