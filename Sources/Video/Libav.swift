import CFFmpeg

/// Small conversions between libav's C values and Swift ones; internal so no C type leaks out.
enum Libav {
    /// Silences libav's own logging, once per process: probing thousands of files must not spam stderr.
    static let quiet: Void = av_log_set_level(AV_LOG_QUIET)

    /// libav's text for an error code, e.g. "Invalid data found when processing input".
    static func errorText(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(AV_ERROR_MAX_STRING_SIZE))
        guard av_strerror(code, &buffer, buffer.count) == 0 else { return "libav error \(code)" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// A rational as a Double, or nil when it is 0/0, negative or otherwise not a rate.
    static func positive(_ value: AVRational) -> Double? {
        guard value.num > 0, value.den > 0 else { return nil }
        return Double(value.num) / Double(value.den)
    }

    /// A timestamp or duration in `base` units as seconds; nil for AV_NOPTS_VALUE (Int64.min).
    static func seconds(_ value: Int64, _ base: AVRational) -> Double? {
        guard value != Int64.min, base.den > 0 else { return nil }
        return Double(value) * Double(base.num) / Double(base.den)
    }

    /// Degrees clockwise to turn the decoded frame for display, from the stream's display matrix.
    ///
    /// `av_display_rotation_get` answers counter-clockwise, hence the minus; the answer is
    /// snapped to the nearest quarter turn because players only honour those.
    static func clockwiseRotation(of stream: UnsafePointer<AVStream>) -> Int {
        var size = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size),
              size >= 9 * MemoryLayout<Int32>.size else { return 0 }
        let counterClockwise = UnsafeRawPointer(data).withMemoryRebound(to: Int32.self, capacity: 9) {
            av_display_rotation_get($0)
        }
        guard counterClockwise.isFinite else { return 0 }
        let quarterTurns = Int((-counterClockwise / 90).rounded())
        return ((quarterTurns % 4 + 4) % 4) * 90
    }
}
