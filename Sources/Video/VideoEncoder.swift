import CFFmpeg

/// Encodes packed RGB24 frames into a video file, for an annotated copy of an input video.
///
/// H.264 (libx264, preset `veryfast`, crf 23) or MPEG-4 part 2, yuv420p, in the container the
/// output's extension names (MP4 for `.mp4`). Each frame keeps its own presentation time, so the
/// output has the input's timing, variable rate included; the audio of a source file can be copied
/// in unchanged. The file appears at `path` only when `finish()` succeeds: until then it is written
/// under a hidden temporary name in the same folder, removed as soon as any step throws or when the
/// encoder is released unfinished. Not thread-safe. Rules: docs/VIDEO.md, "Encoding".
public final class VideoEncoder {
    /// The output path as given.
    public let path: String
    public let settings: EncodeSettings
    /// The codec written, as ffprobe's `codec_name`: "h264" or "mpeg4".
    public let codecName: String
    /// The libavcodec encoder used: "libx264" or "mpeg4".
    public let encoderName: String
    /// The size frames are given in.
    public let inputWidth: Int, inputHeight: Int
    /// The size written: the input's, an odd side one pixel shorter (yuv420p needs even sides).
    public let width: Int, height: Int
    /// The time base output timestamps count in.
    public let timeBase: TimeBase
    /// The audio codec copied from the source (e.g. "aac"); nil when no audio is copied.
    public let audioCodec: String?
    /// Frames encoded so far.
    public private(set) var framesWritten = 0
    /// Audio packets copied so far (all of them once `finish()` returned).
    public var audioPacketsCopied: Int { audio?.copied ?? finalAudioPackets }

    private var file: OutputFile?
    private var audio: AudioCopy?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    private let converter = RGBToYUV()
    private let codecTimeBase: AVRational
    private let stream: UnsafeMutablePointer<AVStream>
    private var lastTimestamp: Int64?
    private var finalAudioPackets = 0
    /// Why the encoder stopped: nil while it takes frames.
    private var closed: String?

    /// Opens an encoder writing `width` x `height` RGB24 frames to `path`.
    ///
    /// - Parameters:
    ///   - fps: the nominal frame rate, recorded as the stream's average rate; frames keep their own times.
    ///   - timeBase: the time base output timestamps count in, e.g. the input stream's
    ///     (`DecodedVideoInfo.timeBase`); nil for 1/90000. MPEG-4 allows at most 65535 ticks a second:
    ///     a finer base becomes 1/60000 for it.
    ///   - audioSource: a video file whose main audio stream is copied in unchanged; nothing is copied
    ///     when it has no audio. Throws when the output's container cannot hold that audio codec.
    public init(path: String, width: Int, height: Int, fps: Double, timeBase: TimeBase? = nil,
                audioFrom audioSource: String? = nil, settings: EncodeSettings = EncodeSettings()) throws(VideoError) {
        _ = Libav.quiet
        func fail(_ reason: String) -> VideoError { VideoError(path: path, reason: reason) }
        guard width >= 2, height >= 2 else { throw fail("a \(width)x\(height) picture is too small to encode; it needs at least 2x2 pixels") }
        guard fps.isFinite, fps > 0 else { throw fail("the frame rate must be a positive number, not \(fps)") }
        guard settings.threads >= 0 else { throw fail("threads must be 0 (automatic) or more, not \(settings.threads)") }
        guard (0...51).contains(settings.crf) else { throw fail("crf must be between 0 and 51, not \(settings.crf)") }
        guard (1...31).contains(settings.mpeg4Quantiser) else {
            throw fail("the MPEG-4 quantiser must be between 1 and 31, not \(settings.mpeg4Quantiser)")
        }
        if let timeBase, timeBase.rational == nil { throw fail("the time base must be a positive fraction, not \(timeBase)") }

        // Each piece frees itself when released, so every throw below leaves nothing behind.
        let file = try OutputFile(path: path)
        let encoder = try Self.findEncoder(settings.codec, for: file)
        let stream = try file.addStream()
        var audio: AudioCopy?
        if let audioSource { audio = try AudioCopy(source: audioSource, outputPath: path) }
        guard let frame = av_frame_alloc() else { throw fail("out of memory") }
        guard let packet = av_packet_alloc() else {
            var owned: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&owned)
            throw fail("out of memory")
        }
        self.frame = frame
        self.packet = packet
        self.path = path
        self.settings = settings
        self.file = file
        self.audio = audio
        self.stream = stream
        codecName = String(cString: avcodec_get_name(encoder.pointee.id))
        encoderName = String(cString: encoder.pointee.name)
        inputWidth = width
        inputHeight = height
        self.width = width & ~1
        self.height = height & ~1
        audioCodec = audio?.codecName
        var base = timeBase?.rational ?? AVRational(num: 1, den: 90_000)
        if encoder.pointee.id == AV_CODEC_ID_MPEG4 && base.den > 65_535 { base = AVRational(num: 1, den: 60_000) }
        codecTimeBase = base
        self.timeBase = TimeBase(base)
        // From here on every stored property is set: deinit frees whatever was made.
        do throws(VideoError) {
            try openCodec(encoder, fps: fps, file: file)
            try audio?.addStream(to: file)
            try file.start()
        } catch {
            close(because: "failed")
            throw error
        }
    }

    /// An encoder for an annotated copy of what `decoder` reads: its output size, rate and time base,
    /// and, when `copyAudio` is set and the decoder reads a file, that file's audio.
    public convenience init(path: String, like decoder: VideoDecoder, copyAudio: Bool = true,
                            settings: EncodeSettings = EncodeSettings()) throws(VideoError) {
        var audioSource: String?
        if copyAudio, case .file(let source) = decoder.source { audioSource = source }
        try self.init(path: path, width: decoder.info.width, height: decoder.info.height, fps: decoder.info.fps,
                      timeBase: decoder.info.timeBase, audioFrom: audioSource, settings: settings)
    }

    deinit {
        avcodec_free_context(&codec)
        var ownedFrame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&ownedFrame)
        var ownedPacket: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&ownedPacket)
        // `file` goes next: unless committed, it removes the temporary file.
    }

    /// Encodes one frame of the input size at `time` seconds (as `DecodedFrame.time`), in presentation order.
    ///
    /// `rgb` is `inputHeight` rows of `inputWidth * 3` bytes, R G B, top row first. A time not after
    /// the previous frame's is moved one tick after it: encoders need strictly increasing times.
    public func write(rgb: [UInt8], time: Double) throws(VideoError) {
        try write(rgb: rgb, width: inputWidth, height: inputHeight, time: time)
    }

    /// Encodes a decoded (and perhaps drawn-on) frame at its own time.
    public func write(_ frame: DecodedFrame) throws(VideoError) {
        try write(rgb: frame.rgb, width: frame.width, height: frame.height, time: frame.time)
    }

    /// Encodes one `width` x `height` RGB24 picture at `time`; a size other than the input's is scaled to the output's.
    public func write(rgb: [UInt8], width: Int, height: Int, time: Double) throws(VideoError) {
        guard closed == nil, let codec else { throw VideoError(path: path, reason: "cannot write a frame: the encoder is \(closed ?? "closed")") }
        // Any failure, a bad frame included, ends the encoder and removes the partial file.
        do throws(VideoError) {
            guard width > 0, height > 0, rgb.count == width * height * 3 else {
                throw VideoError(path: path, reason: "a frame of \(rgb.count) bytes is not \(width)x\(height) RGB24 (\(max(width * height * 3, 0)) bytes)")
            }
            guard time.isFinite, abs(time) < 1e9 else {
                throw VideoError(path: path, reason: "a frame's time must be a finite number of seconds, not \(time)")
            }
            var timestamp = Int64((time * Double(codecTimeBase.den) / Double(codecTimeBase.num)).rounded())
            if let lastTimestamp, timestamp <= lastTimestamp { timestamp = lastTimestamp + 1 }
            let writable = av_frame_make_writable(frame)
            guard writable >= 0 else { throw VideoError(path: path, reason: "out of memory (\(Libav.errorText(writable)))") }
            guard converter.convert(rgb, width: width, height: height, into: frame) else {
                throw VideoError(path: path, reason: "cannot convert a \(width)x\(height) RGB24 frame to \(self.width)x\(self.height) yuv420p")
            }
            frame.pointee.pts = timestamp
            let sent = avcodec_send_frame(codec, frame)
            guard sent >= 0 else { throw VideoError(path: path, reason: "the \(encoderName) encoder refused a frame (\(Libav.errorText(sent)))") }
            lastTimestamp = timestamp
            framesWritten += 1
            try drain()
        } catch {
            close(because: "failed")
            throw error
        }
    }

    /// Flushes the encoder, copies the rest of the audio, ends the file and renames it to `path`.
    ///
    /// Throws when no frame was written (no file is made) or writing failed; the encoder takes no
    /// frames afterwards, whatever happened.
    public func finish() throws(VideoError) {
        guard closed == nil, let codec, let file else { throw VideoError(path: path, reason: "cannot finish: the encoder is \(closed ?? "closed")") }
        do throws(VideoError) {
            guard framesWritten > 0 else { throw VideoError(path: path, reason: "no frames were written, so no video was made") }
            let flushed = avcodec_send_frame(codec, nil)
            guard flushed >= 0 else { throw VideoError(path: path, reason: "cannot flush the \(encoderName) encoder (\(Libav.errorText(flushed)))") }
            try drain()
            try audio?.copy(until: nil, into: file)
            try file.commit()
            close(because: "finished")
        } catch {
            close(because: "failed")
            throw error
        }
    }

    /// Sets up and opens the codec context and the video stream's parameters.
    private func openCodec(_ encoder: UnsafePointer<AVCodec>, fps: Double, file: OutputFile) throws(VideoError) {
        guard let codec = avcodec_alloc_context3(encoder) else { throw VideoError(path: path, reason: "out of memory") }
        self.codec = codec
        let rate = av_d2q(fps, 100_000)
        codec.pointee.width = Int32(width)
        codec.pointee.height = Int32(height)
        codec.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        codec.pointee.time_base = codecTimeBase
        codec.pointee.framerate = rate
        codec.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        // What RGBToYUV produces, so players convert back with the same matrix.
        codec.pointee.colorspace = AVCOL_SPC_SMPTE170M
        codec.pointee.color_range = AVCOL_RANGE_MPEG
        codec.pointee.thread_count = Int32(settings.threads)
        if file.wantsGlobalHeader { codec.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        if encoder.pointee.id == AV_CODEC_ID_H264 {
            av_dict_set(&options, "preset", settings.preset, 0)
            av_dict_set(&options, "crf", String(settings.crf), 0)
        } else {
            codec.pointee.flags |= AV_CODEC_FLAG_QSCALE
            codec.pointee.global_quality = Int32(settings.mpeg4Quantiser) * FF_QP2LAMBDA
        }
        let opened = avcodec_open2(codec, encoder, &options)
        guard opened >= 0 else {
            throw VideoError(path: path, reason: "cannot open the \(encoderName) encoder for \(width)x\(height) (\(Libav.errorText(opened)))")
        }
        let copied = avcodec_parameters_from_context(stream.pointee.codecpar, codec)
        guard copied >= 0 else { throw VideoError(path: path, reason: "cannot set the video stream's parameters (\(Libav.errorText(copied)))") }
        stream.pointee.time_base = codecTimeBase
        stream.pointee.avg_frame_rate = rate
        stream.pointee.sample_aspect_ratio = codec.pointee.sample_aspect_ratio
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        frame.pointee.colorspace = AVCOL_SPC_SMPTE170M
        frame.pointee.color_range = AVCOL_RANGE_MPEG
        let allocated = av_frame_get_buffer(frame, 0)
        guard allocated >= 0 else { throw VideoError(path: path, reason: "out of memory (\(Libav.errorText(allocated)))") }
    }

    /// The encoder `choice` asks for, checked against what this FFmpeg has and the container holds.
    private static func findEncoder(_ choice: VideoCodecChoice, for file: OutputFile) throws(VideoError) -> UnsafePointer<AVCodec> {
        let h264 = avcodec_find_encoder_by_name("libx264"), mpeg4 = avcodec_find_encoder(AV_CODEC_ID_MPEG4)
        let candidates: [UnsafePointer<AVCodec>?] = switch choice {
        case .automatic: [h264, mpeg4]
        case .h264: [h264]
        case .mpeg4: [mpeg4]
        }
        if let usable = candidates.compactMap({ $0 }).first(where: { file.accepts($0.pointee.id) }) { return usable }
        let wanted = choice == .automatic ? "H.264 or MPEG-4" : choice == .h264 ? "H.264" : "MPEG-4"
        if candidates.allSatisfy({ $0 == nil }) {
            throw VideoError(path: file.path, reason: "this FFmpeg has no \(wanted) encoder\(choice == .h264 ? " (libx264); choose MPEG-4" : "")")
        }
        throw VideoError(path: file.path, reason: "the \(file.formatName) format cannot hold \(wanted) video; end the name in .mp4, .mkv or .mov")
    }

    /// Writes every packet the encoder has ready, with the audio up to each packet's time before it.
    private func drain() throws(VideoError) {
        guard let codec, let file else { return }
        while true {
            let received = avcodec_receive_packet(codec, packet)
            if received == biomech_averror(EAGAIN) || received == biomech_averror_eof() { return }
            guard received >= 0 else { throw VideoError(path: path, reason: "the \(encoderName) encoder failed (\(Libav.errorText(received)))") }
            let timestamp = packet.pointee.dts != Int64.min ? packet.pointee.dts : packet.pointee.pts
            if let audio, let time = Libav.seconds(timestamp, codecTimeBase) { try audio.copy(until: time, into: file) }
            av_packet_rescale_ts(packet, codecTimeBase, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            try file.write(packet)
        }
    }

    /// Stops taking frames and releases the output (which removes the temporary file unless committed).
    private func close(because reason: String) {
        closed = reason
        finalAudioPackets = audio?.copied ?? finalAudioPackets
        audio = nil
        avcodec_free_context(&codec)
        file = nil
    }
}
