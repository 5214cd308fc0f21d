import CFFmpeg

/// Decodes a video's main video stream to upright, downscaled RGB24 frames, resampled to a target rate.
///
/// One pass, front to back: `next()` returns the next kept frame, then nil at the end. The video is a
/// file, a stream on a pipe or a capture device (`VideoSource`). Not thread-safe (one decoder per
/// thread; several decoders may run at once). Rules: docs/VIDEO.md, "Decoding" and "Live input".
public final class VideoDecoder {
    /// The path as given; `pipe:FD` for a pipe (what errors name).
    public let path: String
    /// Where the frames come from.
    public let source: VideoSource
    public let settings: DecodeSettings
    /// Output size, rotation and rates.
    public let info: DecodedVideoInfo
    /// Packets the decoder refused and frames it could not decode (corrupt data): skipped, decoding goes on.
    public private(set) var decodeErrors = 0
    /// libav's words when reading the file failed before its end (e.g. a cut file); the frames before stand.
    public private(set) var readFailure: String?
    /// Frames the decoder has output so far, kept or not.
    public private(set) var decodedFrames = 0

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private let packet: UnsafeMutablePointer<AVPacket>
    private let frame: UnsafeMutablePointer<AVFrame>
    private var scaler: OpaquePointer?
    private var scalerKey: [Int32] = []
    private let streamIndex: Int32
    private let timeBase: AVRational
    private var startTimestamp: Int64?
    private var lastTime: Double?
    private var nextSlot = 0
    private var packetPending = false
    private var inputEnded = false
    private var finished = false

    /// Opens the file at `path` and its video stream's decoder; throws when the file is not a decodable video.
    public convenience init(path: String, settings: DecodeSettings = DecodeSettings()) throws(VideoError) {
        try self.init(source: .file(path), settings: settings)
    }

    /// Opens `source` and its video stream's decoder; throws when it is not a decodable video.
    ///
    /// For a pipe or a device this reads the stream's first seconds (libav's stream analysis), so it
    /// waits until that much has arrived.
    public init(source: VideoSource, settings: DecodeSettings = DecodeSettings()) throws(VideoError) {
        _ = Libav.quiet
        let path = source.description
        self.path = path
        self.source = source
        self.settings = settings
        func fail(_ reason: String) -> VideoError { VideoError(path: path, reason: reason) }
        if let fps = settings.fps, !(fps.isFinite && fps > 0) { throw fail("the target fps must be a positive number, not \(fps)") }
        if settings.keepAllFrames, let fps = settings.fps {
            throw fail("the target fps must be nil when keepAllFrames is set (every frame is kept), not \(fps)")
        }
        guard settings.maxSide >= 1 else { throw fail("maxSide must be at least 1, not \(settings.maxSide)") }
        guard settings.threads >= 0 else { throw fail("threads must be 0 (automatic) or more, not \(settings.threads)") }
        if let refusal = source.refusal() { throw fail(refusal) }

        guard let packet = av_packet_alloc(), let frame = av_frame_alloc() else { throw fail("out of memory") }
        self.packet = packet
        self.frame = frame
        // From here on deinit frees whatever was made, so every throw below cleans up.
        var context: UnsafeMutablePointer<AVFormatContext>?
        let opened = source.open(into: &context)
        guard opened >= 0, let format = context else {
            streamIndex = -1; timeBase = AVRational(num: 0, den: 1); info = Self.emptyInfo
            throw fail(source.openFailure(opened))
        }
        self.format = format
        let found = avformat_find_stream_info(format, nil)
        let streams = VideoProbe.streamList(format)
        guard let index = VideoProbe.videoStreamIndex(format, streams) else {
            streamIndex = -1; timeBase = AVRational(num: 0, den: 1); info = Self.emptyInfo
            if found < 0 { throw fail("cannot read the streams' parameters (\(Libav.errorText(found)))") }
            let kinds = Set(streams.map { VideoProbe.mediaTypeName($0.pointee.codecpar.pointee.codec_type) }).sorted()
            throw fail("no video stream (\(kinds.isEmpty ? "no streams at all" : "only \(kinds.joined(separator: ", ")) streams"))")
        }
        let stream = streams[index]
        streamIndex = Int32(index)
        timeBase = stream.pointee.time_base
        for other in streams.indices where other != index { streams[other].pointee.discard = AVDISCARD_ALL }
        if stream.pointee.start_time != Int64.min { startTimestamp = stream.pointee.start_time }

        let parameters: UnsafeMutablePointer<AVCodecParameters> = stream.pointee.codecpar
        let codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        guard let decoder = avcodec_find_decoder(parameters.pointee.codec_id) else {
            info = Self.emptyInfo
            throw fail("this FFmpeg has no decoder for the \(codecName) codec")
        }
        guard let codec = avcodec_alloc_context3(decoder) else { info = Self.emptyInfo; throw fail("out of memory") }
        self.codec = codec
        let copied = avcodec_parameters_to_context(codec, parameters)
        guard copied >= 0 else { info = Self.emptyInfo; throw fail("cannot read the video stream's parameters (\(Libav.errorText(copied)))") }
        codec.pointee.pkt_timebase = stream.pointee.time_base
        codec.pointee.thread_count = Int32(settings.threads)
        codec.pointee.thread_type = FF_THREAD_FRAME
        let codecOpened = avcodec_open2(codec, decoder, nil)
        guard codecOpened >= 0 else {
            info = Self.emptyInfo
            throw fail("cannot open the \(codecName) decoder (\(Libav.errorText(codecOpened)))")
        }
        let width = Int(parameters.pointee.width), height = Int(parameters.pointee.height)
        guard width > 0, height > 0 else { info = Self.emptyInfo; throw fail("the video stream has no frame size") }

        let rotation = Libav.clockwiseRotation(of: stream)
        let (scaledWidth, scaledHeight) = Self.scaledSize(width: width, height: height, maxSide: settings.maxSide)
        let average = Libav.positive(stream.pointee.avg_frame_rate), real = Libav.positive(stream.pointee.r_frame_rate)
        let fastest = [average, real].compactMap { $0 }.max()
        // Frames are only ever dropped, never repeated: a rate above the stream's is the stream's, so
        // the recorded rate is the rate of the frames kept (25 fps asked for 30 stays 25).
        let requested = settings.fps ?? DecodeSettings.defaultMaxFPS
        let target = settings.keepAllFrames ? average ?? real ?? DecodeSettings.defaultMaxFPS
            : fastest.map { min(requested, $0) } ?? requested
        info = DecodedVideoInfo(
            codec: codecName, decoder: String(cString: decoder.pointee.name),
            sourceWidth: width, sourceHeight: height, rotation: rotation,
            width: rotation % 180 == 0 ? scaledWidth : scaledHeight,
            height: rotation % 180 == 0 ? scaledHeight : scaledWidth,
            sourceFPS: average ?? real, fps: target, timeBase: TimeBase(stream.pointee.time_base))
    }

    deinit {
        sws_freeContext(scaler)
        avcodec_free_context(&codec)
        avformat_close_input(&format)
        var ownedPacket: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&ownedPacket)
        var ownedFrame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&ownedFrame)
    }

    private static let emptyInfo = DecodedVideoInfo(codec: "", decoder: "", sourceWidth: 0, sourceHeight: 0,
                                                    rotation: 0, width: 0, height: 0, sourceFPS: nil, fps: 0,
                                                    timeBase: TimeBase(numerator: 0, denominator: 1))

    /// The size a `width` x `height` picture is scaled to so its long side is at most `maxSide`
    /// (aspect ratio kept, rounded to whole pixels, at least 1; never larger than the source).
    public static func scaledSize(width: Int, height: Int, maxSide: Int) -> (width: Int, height: Int) {
        let long = max(width, height)
        guard long > maxSide, maxSide > 0 else { return (width, height) }
        let scale = Double(maxSide) / Double(long)
        let short = { (side: Int) in max(1, Int((Double(side) * scale).rounded())) }
        return width >= height ? (maxSide, short(height)) : (short(width), maxSide)
    }

    /// The next kept frame, or nil after the last one.
    ///
    /// Throws when the stream ends without a single decodable frame, or when swscale cannot convert a
    /// frame; corrupt packets are skipped (counted in `decodeErrors`) and a read failure part-way ends
    /// the stream (`readFailure`). After a throw, `next()` returns nil.
    public func next() throws(VideoError) -> DecodedFrame? {
        guard let codec, !finished else { return nil }
        var stalls = 0
        while true {
            let received = avcodec_receive_frame(codec, frame)
            if received == 0 {
                defer { av_frame_unref(frame) }
                stalls = 0
                let index = decodedFrames
                decodedFrames += 1
                let time = frameTime()
                guard settings.keepAllFrames ? time >= 0 : keep(time) else { continue }
                return try convert(index: index, time: time)
            } else if received == biomech_averror(EAGAIN) && !inputEnded {
                feed()
            } else if received == biomech_averror_eof() || received == biomech_averror(EAGAIN) {
                finished = true
                guard decodedFrames > 0 else {
                    let why = readFailure.map { " (reading stopped: \($0))" } ?? ""
                    throw VideoError(path: path, reason: "the video stream has no decodable frames\(why)")
                }
                return nil
            } else {
                // A frame the decoder could not make (corrupt data): skip it and go on.
                decodeErrors += 1
                stalls += 1
                if stalls > 10_000 {
                    finished = true
                    throw VideoError(path: path, reason: "the decoder keeps failing (\(Libav.errorText(received)))")
                }
                if !inputEnded { feed() }
            }
        }
    }

    /// Sends the decoder the next packet of the video stream, or the end-of-stream flush after the last.
    private func feed() {
        guard let format, let codec, !inputEnded else { return }
        if !packetPending {
            while true {
                let read = av_read_frame(format, packet)
                if read < 0 {
                    if read != biomech_averror_eof() { readFailure = Libav.errorText(read) }
                    inputEnded = true
                    avcodec_send_packet(codec, nil)
                    return
                }
                if packet.pointee.stream_index == streamIndex { break }
                av_packet_unref(packet)
            }
        }
        let sent = avcodec_send_packet(codec, packet)
        if sent == biomech_averror(EAGAIN) {
            packetPending = true
            return
        }
        packetPending = false
        av_packet_unref(packet)
        if sent < 0 { decodeErrors += 1 }
    }

    /// The current frame's best-effort timestamp in seconds from the stream start; when it has none,
    /// the previous frame's time plus one frame at the source rate.
    private func frameTime() -> Double {
        let timestamp = frame.pointee.best_effort_timestamp
        if timestamp != Int64.min {
            if startTimestamp == nil { startTimestamp = timestamp }
            let start = startTimestamp ?? 0
            let time = Libav.seconds(timestamp - start, timeBase) ?? 0
            lastTime = time
            return time
        }
        let step = 1 / (info.sourceFPS ?? info.fps)
        let time = lastTime.map { $0 + step } ?? 0
        lastTime = time
        return time
    }

    /// The resampling rule: keep a frame when its time reaches the next slot k/fps (within a
    /// microsecond); the next slot is then the first one after the kept frame's time.
    private func keep(_ time: Double) -> Bool {
        // A quarter of a slot early still counts: containers that store whole milliseconds (WebM,
        // Matroska) put 30 fps frames at 0.033 s, short of the slot at 1/30 s.
        let position = time * info.fps
        let tolerance = 0.25
        guard position >= Double(nextSlot) - tolerance else { return false }
        nextSlot = Int((position + tolerance).rounded(.down)) + 1
        return true
    }

    /// Scales the current frame to RGB24 (long side at most maxSide) and turns it upright.
    private func convert(index: Int, time: Double) throws(VideoError) -> DecodedFrame {
        let sourceWidth = frame.pointee.width, sourceHeight = frame.pointee.height
        let (width, height) = Self.scaledSize(width: Int(sourceWidth), height: Int(sourceHeight), maxSide: settings.maxSide)
        guard width > 0, height > 0 else { throw conversionFailure(width: width, height: height) }
        let key = [sourceWidth, sourceHeight, frame.pointee.format, Int32(width), Int32(height),
                   Int32(frame.pointee.colorspace.rawValue), Int32(frame.pointee.color_range.rawValue)]
        if key != scalerKey {
            sws_freeContext(scaler)
            scaler = sws_getContext(sourceWidth, sourceHeight, AVPixelFormat(rawValue: frame.pointee.format),
                                    Int32(width), Int32(height), AV_PIX_FMT_RGB24, SWS_AREA, nil, nil, nil)
            scalerKey = key
            if let scaler { Self.setColorspace(scaler, of: frame) }
        }
        guard let scaler else { throw conversionFailure(width: width, height: height) }
        let stride = width * 3, size = stride * height
        var rows: Int32 = 0
        // A fresh array a frame, with spare capacity past its count: swscale's SIMD yuv2rgb writes whole
        // blocks of pixels, past the end of the last row when the width is not a multiple of 16.
        let pixels = [UInt8](unsafeUninitializedCapacity: size + Self.swscaleOverrun) { output, count in
            var destination: [UnsafeMutablePointer<UInt8>?] = [output.baseAddress, nil, nil, nil]
            var destinationStride: [Int32] = [Int32(stride), 0, 0, 0]
            rows = withUnsafePointer(to: &frame.pointee.data) { data in
                withUnsafePointer(to: &frame.pointee.linesize) { linesize in
                    data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { planes in
                        linesize.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                            sws_scale(scaler, planes, strides, 0, sourceHeight, &destination, &destinationStride)
                        }
                    }
                }
            }
            count = rows == Int32(height) ? size : 0
        }
        guard rows == Int32(height) else { throw conversionFailure(width: width, height: height) }
        let (rgb, outWidth, outHeight) = Self.rotate(pixels, width: width, height: height, clockwise: info.rotation)
        return DecodedFrame(index: index, time: time, width: outWidth, height: outHeight, rgb: rgb)
    }

    /// Bytes swscale may write past the end of an RGB24 picture: FFmpeg 5.1's x86 yuv420p-to-RGB24
    /// converter writes 16-pixel blocks, 24 bytes too many at width 1768 (`VideoEncoderTests`
    /// measures it). Without room for them the heap was corrupted (found re-encoding the 1768x994 demo).
    static let swscaleOverrun = 256

    /// swscale refused the current frame: its pixel format or size cannot become RGB24.
    private func conversionFailure(width: Int, height: Int) -> VideoError {
        finished = true
        let format = av_get_pix_fmt_name(AVPixelFormat(rawValue: frame.pointee.format)).map { String(cString: $0) } ?? "unknown"
        return VideoError(path: path, reason: "cannot convert a \(format) frame of \(frame.pointee.width)x\(frame.pointee.height) to \(width)x\(height) RGB24")
    }

    /// Sets the scaler's YUV matrix and range from the frame, as ffmpeg's scale filter does:
    /// the frame's colour matrix (BT.601 when unstated), full range for JPEG-range frames.
    private static func setColorspace(_ scaler: OpaquePointer, of frame: UnsafeMutablePointer<AVFrame>) {
        let format = AVPixelFormat(rawValue: frame.pointee.format)
        let jpegFormats = [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUVJ411P]
        // RGB and grey sources have no YUV matrix to set.
        guard let descriptor = av_pix_fmt_desc_get(format),
              descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0, descriptor.pointee.nb_components >= 3 else { return }
        var space = Int32(frame.pointee.colorspace.rawValue)
        if space < 1 || space > 10 || space == 8 { space = SWS_CS_DEFAULT }
        let fullRange: Int32 = frame.pointee.color_range == AVCOL_RANGE_JPEG || jpegFormats.contains(format) ? 1 : 0
        sws_setColorspaceDetails(scaler, sws_getCoefficients(space), fullRange,
                                 sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
    }

    /// Turns a packed RGB24 picture `clockwise` degrees (0, 90, 180, 270); width and height swap for 90 and 270.
    static func rotate(_ pixels: [UInt8], width: Int, height: Int, clockwise: Int) -> ([UInt8], Int, Int) {
        guard clockwise != 0 else { return (pixels, width, height) }
        let (outWidth, outHeight) = clockwise == 180 ? (width, height) : (height, width)
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    for x in 0..<width {
                        let (tx, ty): (Int, Int)
                        switch clockwise {
                        case 90: (tx, ty) = (height - 1 - y, x)
                        case 180: (tx, ty) = (width - 1 - x, height - 1 - y)
                        default: (tx, ty) = (y, width - 1 - x)
                        }
                        let from = (y * width + x) * 3, to = (ty * outWidth + tx) * 3
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return (output, outWidth, outHeight)
    }
}
