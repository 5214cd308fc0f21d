import CFFmpeg

/// Copies a source file's main audio stream into an output unchanged (stream copy, no re-encode).
///
/// Timestamps move with the video: they count from the source's video stream start, as
/// `DecodedFrame.time` does, so sound and picture stay in step. Packets are handed over up to a
/// given time, so the muxer can interleave them with the video packets of that time.
final class AudioCopy {
    let sourcePath: String
    /// The audio codec's name, e.g. "aac".
    let codecName: String
    /// Packets written so far.
    private(set) var copied = 0
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private let packet: UnsafeMutablePointer<AVPacket>
    private let sourceIndex: Int32
    private let sourceTimeBase: AVRational
    /// The source video's start, in the audio stream's time base: subtracted from every timestamp.
    private let origin: Int64
    private var output: UnsafeMutablePointer<AVStream>?
    private var pending = false
    private var ended = false

    /// Opens `source`; nil when it has no audio stream. Errors name `outputPath`, the file being made.
    init?(source: String, outputPath: String) throws(VideoError) {
        sourcePath = source
        func fail(_ reason: String) -> VideoError {
            VideoError(path: outputPath, reason: "cannot copy the audio of \(source): \(reason)")
        }
        if let kind = VideoProbe.nonRegularKind(source) { throw fail("is \(kind), not a video file") }
        // Until every stored property is set deinit does not run: close the source by hand on the way out.
        var context: UnsafeMutablePointer<AVFormatContext>?
        let opened = VideoProbe.open(source, into: &context)
        guard opened >= 0, let format = context else { throw fail(VideoProbe.openFailure(opened)) }
        let found = avformat_find_stream_info(format, nil)
        let streams = VideoProbe.streamList(format)
        let best = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        guard best >= 0, Int(best) < streams.count else {
            avformat_close_input(&context)
            if found < 0 { throw fail("cannot read the streams' parameters (\(Libav.errorText(found)))") }
            return nil
        }
        guard let packet = av_packet_alloc() else { avformat_close_input(&context); throw fail("out of memory") }
        let stream = streams[Int(best)]
        for other in streams.indices where other != Int(best) { streams[other].pointee.discard = AVDISCARD_ALL }
        self.packet = packet
        self.format = format
        sourceIndex = best
        sourceTimeBase = stream.pointee.time_base
        codecName = String(cString: avcodec_get_name(stream.pointee.codecpar.pointee.codec_id))
        var start = Int64.min
        if let video = VideoProbe.videoStreamIndex(format, streams), streams[video].pointee.start_time != Int64.min {
            start = av_rescale_q(streams[video].pointee.start_time, streams[video].pointee.time_base, sourceTimeBase)
        } else if format.pointee.start_time != Int64.min {
            start = av_rescale_q(format.pointee.start_time, AVRational(num: 1, den: AV_TIME_BASE), sourceTimeBase)
        }
        origin = start == Int64.min ? 0 : start
    }

    deinit {
        avformat_close_input(&format)
        var owned: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&owned)
    }

    /// Adds the output's audio stream, a copy of the source's parameters; throws when the container
    /// cannot hold the codec.
    func addStream(to file: OutputFile) throws(VideoError) {
        guard let format, let source = format.pointee.streams[Int(sourceIndex)] else { return }
        let parameters: UnsafeMutablePointer<AVCodecParameters> = source.pointee.codecpar
        guard file.accepts(parameters.pointee.codec_id) else {
            throw VideoError(path: file.path, reason: "the \(file.formatName) format cannot hold the \(codecName) audio of \(sourcePath); "
                             + "write a .mkv, or leave the audio out")
        }
        let stream = try file.addStream()
        let copied = avcodec_parameters_copy(stream.pointee.codecpar, parameters)
        guard copied >= 0 else { throw VideoError(path: file.path, reason: "cannot copy the audio parameters of \(sourcePath) (\(Libav.errorText(copied)))") }
        // The source container's tag may mean nothing in the output's; let the muxer pick its own.
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = sourceTimeBase
        output = stream
    }

    /// Writes the source's audio packets up to `seconds` (all the rest when nil) into `file`.
    func copy(until seconds: Double?, into file: OutputFile) throws(VideoError) {
        guard let format, let output else { return }
        while !ended {
            if !pending {
                // A read error before the end of the source (a cut file) ends the audio like the end would.
                guard av_read_frame(format, packet) >= 0 else { ended = true; return }
                guard packet.pointee.stream_index == sourceIndex else { av_packet_unref(packet); continue }
                pending = true
            }
            // A packet without any timestamp cannot be placed: it goes out at once, the muxer guesses its time.
            let timestamp = packet.pointee.dts != Int64.min ? packet.pointee.dts : packet.pointee.pts
            if let seconds, timestamp != Int64.min, let time = Libav.seconds(timestamp - origin, sourceTimeBase), time > seconds {
                return
            }
            if packet.pointee.pts != Int64.min { packet.pointee.pts -= origin }
            if packet.pointee.dts != Int64.min { packet.pointee.dts -= origin }
            av_packet_rescale_ts(packet, sourceTimeBase, output.pointee.time_base)
            packet.pointee.stream_index = output.pointee.index
            packet.pointee.pos = -1
            pending = false
            try file.write(packet)
            copied += 1
        }
    }
}
