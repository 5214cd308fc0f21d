import CCairo

/// An image surface and its drawing context; owns both and frees them when released.
///
/// Kept internal so that no cairo type appears in the module's public API.
final class CairoCanvas {
    private let surface: OpaquePointer
    private let context: OpaquePointer

    /// A white RGB canvas; fails with cairo's reason when the size is invalid (cairo caps each side at 32767).
    init(width: Int, height: Int) throws {
        // RGB24: the sheet is opaque, and the PNG comes out smaller without an alpha channel.
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(clamping: width), Int32(clamping: height)) else {
            throw CairoFailure(operation: "create image", reason: "out of memory")
        }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw CairoFailure(operation: "create \(width)x\(height) image", reason: Self.describe(surfaceStatus))
        }
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw CairoFailure(operation: "create context", reason: "out of memory")
        }
        let contextStatus = cairo_status(context)
        guard contextStatus == CAIRO_STATUS_SUCCESS else {
            cairo_destroy(context)
            cairo_surface_destroy(surface)
            throw CairoFailure(operation: "create context", reason: Self.describe(contextStatus))
        }
        self.surface = surface
        self.context = context
        setColor(RGB(1, 1, 1))
        cairo_paint(context)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Sets the colour for the following strokes, fills and text.
    func setColor(_ color: RGB) {
        cairo_set_source_rgb(context, color.r, color.g, color.b)
    }

    /// Strokes a straight line in the current colour.
    func line(from start: Point2, to end: Point2, width: Double) {
        cairo_set_line_width(context, width)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        cairo_move_to(context, start.x, start.y)
        cairo_line_to(context, end.x, end.y)
        cairo_stroke(context)
    }

    /// Strokes a line that fades from `startColor` to `endColor`, so each joint's colour shows on its bones.
    func line(from start: Point2, to end: Point2, width: Double, colors startColor: RGB, _ endColor: RGB) {
        guard startColor != endColor, let gradient = cairo_pattern_create_linear(start.x, start.y, end.x, end.y) else {
            setColor(startColor)
            return line(from: start, to: end, width: width)
        }
        defer { cairo_pattern_destroy(gradient) }
        cairo_pattern_add_color_stop_rgb(gradient, 0, startColor.r, startColor.g, startColor.b)
        cairo_pattern_add_color_stop_rgb(gradient, 1, endColor.r, endColor.g, endColor.b)
        cairo_set_source(context, gradient)  // the context holds its own reference while it uses the pattern
        line(from: start, to: end, width: width)
    }

    /// Fills a disc in the current colour.
    func dot(at center: Point2, radius: Double) {
        cairo_new_sub_path(context)  // no connecting line from the previous point
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_fill(context)
    }

    /// Draws text with its baseline starting at `origin`, in cairo's toy font API.
    func text(_ string: String, at origin: Point2, size: Double, bold: Bool = false, italic: Bool = false) {
        cairo_select_font_face(context, "sans-serif",
                               italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        cairo_move_to(context, origin.x, origin.y)
        cairo_show_text(context, string)
        cairo_new_path(context)
    }

    /// Runs `body` with drawing confined to a rectangle, then lifts the confinement.
    func clipped(x: Double, y: Double, width: Double, height: Double, _ body: () -> Void) {
        cairo_save(context)
        cairo_rectangle(context, x, y, width, height)
        cairo_clip(context)
        body()
        cairo_restore(context)
    }

    /// Throws when any drawing call so far failed: cairo records the first error and ignores later calls.
    func check() throws {
        let status = cairo_status(context)
        guard status == CAIRO_STATUS_SUCCESS else { throw CairoFailure(operation: "draw", reason: Self.describe(status)) }
    }

    private static func describe(_ status: cairo_status_t) -> String {
        String(cString: cairo_status_to_string(status))
    }
}

// MARK: - Charts: filled rectangles, measured and rotated text, PNG bytes, reading a PNG back

extension CairoCanvas {
    /// Fills an axis-aligned rectangle in the current colour.
    func fillRectangle(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    /// How far `string` advances the pen in the font `text` would use, in pixels.
    func textWidth(_ string: String, size: Double, bold: Bool = false) -> Double {
        selectFont(size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        return extents.x_advance
    }

    /// Draws text whose baseline starts at `origin` and runs at `angle` radians from the x axis
    /// (negative turns it counter-clockwise on screen, since y points down).
    func text(_ string: String, at origin: Point2, size: Double, bold: Bool = false, angle: Double) {
        cairo_save(context)
        cairo_translate(context, origin.x, origin.y)
        cairo_rotate(context, angle)
        selectFont(size: size, bold: bold)
        cairo_move_to(context, 0, 0)
        cairo_show_text(context, string)
        cairo_new_path(context)
        cairo_restore(context)
    }

    /// The image encoded as PNG, in memory, for callers that write the file themselves (atomically).
    func pngBytes() throws -> [UInt8] {
        cairo_surface_flush(surface)
        var bytes: [UInt8] = []
        let status = withUnsafeMutablePointer(to: &bytes) { buffer in
            cairo_surface_write_to_png_stream(surface, { closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                closure.assumingMemoryBound(to: [UInt8].self).pointee.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, buffer)
        }
        guard status == CAIRO_STATUS_SUCCESS else { throw CairoFailure(operation: "encode PNG", reason: Self.describe(status)) }
        return bytes
    }

    /// Decodes a PNG file into opaque RGB pixels (alpha is ignored), so tests can check colours.
    static func readPNG(_ path: String) throws -> RGBImage {
        guard let image = cairo_image_surface_create_from_png(path) else {
            throw CairoFailure(operation: "read PNG", reason: "out of memory")
        }
        defer { cairo_surface_destroy(image) }
        let status = cairo_surface_status(image)
        guard status == CAIRO_STATUS_SUCCESS else { throw CairoFailure(operation: "read PNG \(path)", reason: describe(status)) }
        let format = cairo_image_surface_get_format(image)
        guard format == CAIRO_FORMAT_RGB24 || format == CAIRO_FORMAT_ARGB32 else {
            throw CairoFailure(operation: "read PNG \(path)", reason: "unexpected pixel format \(format.rawValue)")
        }
        cairo_surface_flush(image)
        let width = Int(cairo_image_surface_get_width(image)), height = Int(cairo_image_surface_get_height(image))
        let stride = Int(cairo_image_surface_get_stride(image))
        guard let data = cairo_image_surface_get_data(image) else { return RGBImage(width: 0, height: 0, pixels: []) }
        var pixels = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                // Both formats store one native-endian 32-bit word per pixel: 0xAARRGGBB.
                pixels[y * width + x] = UnsafeRawPointer(data + y * stride + 4 * x).loadUnaligned(as: UInt32.self) & 0xFF_FFFF
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private func selectFont(size: Double, bold: Bool) {
        cairo_select_font_face(context, "sans-serif", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }
}

/// Pixels read back from a PNG, each as 0xRRGGBB, row by row from the top left.
struct RGBImage {
    let width: Int
    let height: Int
    let pixels: [UInt32]

    /// The colour at a pixel as 8-bit red, green and blue; nil outside the image.
    func rgb(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8)? {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return nil }
        let word = pixels[y * width + x]
        return (UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF))
    }
}

// MARK: - Frames and figures: pixel access, translucent colours, glows, panels, polylines, images, sub-areas

extension CairoCanvas {
    /// The canvas size in pixels.
    var width: Int { Int(cairo_image_surface_get_width(surface)) }
    var height: Int { Int(cairo_image_surface_get_height(surface)) }

    /// Runs `body` on the surface's pixels: one native-endian 0x__RRGGBB word each (the top byte is unused),
    /// rows `stride` words apart from the top left. Pending drawing is finished first, and cairo is told
    /// afterwards that the pixels changed.
    func withPixels<T>(_ body: (_ pixels: UnsafeMutablePointer<UInt32>, _ stride: Int) throws -> T) throws -> T {
        cairo_surface_flush(surface)
        guard let bytes = cairo_image_surface_get_data(surface) else {
            throw CairoFailure(operation: "read pixels", reason: Self.describe(cairo_surface_status(surface)))
        }
        defer { cairo_surface_mark_dirty(surface) }
        // RGB24 rows are whole 32-bit words, so the byte stride is a multiple of 4.
        let stride = Int(cairo_image_surface_get_stride(surface)) / 4
        let data = UnsafeMutableRawPointer(bytes).bindMemory(to: UInt32.self, capacity: stride * height)
        return try body(data, stride)
    }

    /// Sets a translucent colour (`alpha` 0 is invisible, 1 opaque) for the following strokes, fills and text.
    func setColor(_ color: RGB, alpha: Double) {
        cairo_set_source_rgba(context, color.r, color.g, color.b, alpha)
    }

    /// Fills a disc with a radial gradient: `color` at `alpha` in the middle, fading to fully transparent at `radius`.
    func glow(at center: Point2, radius: Double, color: RGB, alpha: Double) {
        guard radius > 0, let gradient = cairo_pattern_create_radial(center.x, center.y, 0, center.x, center.y, radius) else { return }
        defer { cairo_pattern_destroy(gradient) }
        // Three stops make the fall-off smooth rather than a flat cone.
        cairo_pattern_add_color_stop_rgba(gradient, 0, color.r, color.g, color.b, alpha)
        cairo_pattern_add_color_stop_rgba(gradient, 0.45, color.r, color.g, color.b, alpha * 0.55)
        cairo_pattern_add_color_stop_rgba(gradient, 1, color.r, color.g, color.b, 0)
        cairo_set_source(context, gradient)
        cairo_new_sub_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_fill(context)
    }

    /// Fills a rectangle with rounded corners in the current colour.
    func fillRoundedRectangle(x: Double, y: Double, width: Double, height: Double, radius: Double) {
        let r = max(0, min(radius, width / 2, height / 2))
        cairo_new_sub_path(context)
        cairo_arc(context, x + width - r, y + r, r, -Double.pi / 2, 0)
        cairo_arc(context, x + width - r, y + height - r, r, 0, Double.pi / 2)
        cairo_arc(context, x + r, y + height - r, r, Double.pi / 2, Double.pi)
        cairo_arc(context, x + r, y + r, r, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(context)
        cairo_fill(context)
    }

    /// Strokes connected line segments through `points` in the current colour, with round joins and ends.
    func polyline(_ points: [Point2], width: Double) {
        guard let first = points.first else { return }
        cairo_set_line_width(context, width)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_move_to(context, first.x, first.y)
        for point in points.dropFirst() { cairo_line_to(context, point.x, point.y) }
        cairo_stroke(context)
    }

    /// Paints another canvas's image scaled into `rect` (both ways by the same factor only if `rect` has its shape),
    /// with cairo's good (area-averaging) filter so a large frame shrinks smoothly.
    func paint(_ image: CairoCanvas, into rect: ChartRect) {
        guard image.width > 0, image.height > 0, rect.width > 0, rect.height > 0 else { return }
        cairo_surface_flush(image.surface)
        cairo_save(context)
        cairo_translate(context, rect.x, rect.y)
        cairo_scale(context, rect.width / Double(image.width), rect.height / Double(image.height))
        cairo_set_source_surface(context, image.surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_GOOD)
        cairo_rectangle(context, 0, 0, Double(image.width), Double(image.height))
        cairo_fill(context)
        cairo_restore(context)
    }

    /// Runs `body` with the origin moved to (`x`, `y`) and drawing confined to `width` × `height` from there,
    /// so a chart drawn for the top left of an image can be placed anywhere in a larger figure.
    func translated(x: Double, y: Double, width: Double, height: Double, _ body: () -> Void) {
        cairo_save(context)
        cairo_rectangle(context, x, y, width, height)
        cairo_clip(context)
        cairo_translate(context, x, y)
        body()
        cairo_restore(context)
    }
}
