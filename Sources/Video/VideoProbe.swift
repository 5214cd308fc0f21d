import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a video file's container, codec, size, rotation, rate, duration and frame count in process.
///
/// Demux only: headers are parsed and, when the container does not state a frame count, the
/// video packets are counted. Frames are decoded only by libav's stream analysis, which runs
/// just when the header leaves codec, size or rate unknown (MPEG-TS). Fields: docs/VIDEO.md.
public enum VideoProbe {
    /// Probes one file in process (no subprocess); safe to call from several threads at once.
    public static func probe(path: String) throws(VideoError) -> VideoInfo {
        _ = Libav.quiet
        if let kind = nonRegularKind(path) {
            throw VideoError(path: path, reason: "is \(kind), not a video file")
        }
        var context: UnsafeMutablePointer<AVFormatContext>?
        let opened = open(path, into: &context)
        guard opened >= 0, let format = context else {
            throw VideoError(path: path, reason: openFailure(opened))
        }
        defer { avformat_close_input(&context) }

        var streams = streamList(format)
        if !headerIsComplete(format, streams) {
            // Only then: avformat_find_stream_info reads ahead and may decode a few frames.
            let found = avformat_find_stream_info(format, nil)
            guard found >= 0 else {
                throw VideoError(path: path, reason: "cannot read the streams' parameters (\(Libav.errorText(found)))")
            }
            streams = streamList(format)
        }
        guard let index = videoStreamIndex(format, streams) else {
            let kinds = Set(streams.map { mediaTypeName($0.pointee.codecpar.pointee.codec_type) }).sorted()
            let what = kinds.isEmpty ? "no streams at all" : "only \(kinds.joined(separator: ", ")) streams"
            throw VideoError(path: path, reason: "no video stream (\(what))")
        }
        let stream = streams[index]
        let parameters = stream.pointee.codecpar.pointee

        var frameCount = Int(stream.pointee.nb_frames)
        var counted: PacketCount?
        if frameCount <= 0 {
            let count = PacketCount(format, videoStream: index)
            frameCount = count.packets
            counted = count
        }
        guard frameCount > 0 else {
            throw VideoError(path: path, reason: "the video stream has no frames")
        }

        let duration = Libav.seconds(stream.pointee.duration, stream.pointee.time_base)
            ?? Libav.seconds(format.pointee.duration, AVRational(num: 1, den: AV_TIME_BASE))
            ?? counted?.spanSeconds ?? 0
        let fps = Libav.positive(stream.pointee.avg_frame_rate)
            ?? Libav.positive(stream.pointee.r_frame_rate)
            ?? (duration > 0 ? Double(frameCount) / duration : 0)

        return VideoInfo(
            container: String(cString: format.pointee.iformat.pointee.name),
            codec: String(cString: avcodec_get_name(parameters.codec_id)),
            width: Int(parameters.width), height: Int(parameters.height),
            rotation: Libav.clockwiseRotation(of: stream),
            fps: fps, durationSeconds: duration,
            frameCount: frameCount, frameCountCounted: counted != nil,
            hasAudio: streams.contains { $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO })
    }

    /// Opens `path` as a local file only: the `file:` prefix and whitelist stop a name such as
    /// `http:x.mp4` or `concat:a|b` from being read as a protocol.
    static func open(_ path: String, into context: inout UnsafeMutablePointer<AVFormatContext>?) -> Int32 {
        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        defer { av_dict_free(&options) }
        return avformat_open_input(&context, "file:" + path, nil, &options)
    }

    /// What `path` is when it exists but is not a regular file (following links); nil otherwise.
    /// Checked first because opening a FIFO would block until someone writes to it.
    static func nonRegularKind(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a named pipe"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// Words a user can act on for a failed `avformat_open_input`.
    static func openFailure(_ code: Int32) -> String {
        let text = Libav.errorText(code)
        switch code {
        case biomech_averror(ENOENT): return "no such file (\(text))"
        case biomech_averror(EACCES), biomech_averror(EPERM): return "cannot read the file (\(text))"
        case biomech_averror_eof(): return "ends before its headers do; truncated? (\(text))"
        default: return "not a video libavformat can read (\(text))"
        }
    }

    static func streamList(_ format: UnsafeMutablePointer<AVFormatContext>) -> [UnsafeMutablePointer<AVStream>] {
        (0..<Int(format.pointee.nb_streams)).compactMap { format.pointee.streams[$0] }
    }

    /// True when the container's header alone names the video codec, size and a frame rate, as
    /// MP4, MOV, Matroska, WebM and AVI headers do; formats without a header (MPEG-TS) never qualify.
    private static func headerIsComplete(_ format: UnsafeMutablePointer<AVFormatContext>,
                                         _ streams: [UnsafeMutablePointer<AVStream>]) -> Bool {
        guard format.pointee.ctx_flags & AVFMTCTX_NOHEADER == 0,
              let index = videoStreamIndex(format, streams) else { return false }
        let stream = streams[index].pointee, parameters = stream.codecpar.pointee
        return parameters.codec_id != AV_CODEC_ID_NONE && parameters.width > 0 && parameters.height > 0
            && (Libav.positive(stream.avg_frame_rate) ?? Libav.positive(stream.r_frame_rate)) != nil
    }

    /// The main video stream: libavformat's best pick, skipping cover art (attached pictures).
    static func videoStreamIndex(_ format: UnsafeMutablePointer<AVFormatContext>,
                                         _ streams: [UnsafeMutablePointer<AVStream>]) -> Int? {
        let candidates = streams.indices.filter {
            streams[$0].pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO
                && streams[$0].pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0
        }
        let best = Int(av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0))
        return candidates.contains(best) ? best : candidates.first
    }

    static func mediaTypeName(_ type: AVMediaType) -> String {
        guard let name = av_get_media_type_string(type) else { return "unknown" }
        return String(cString: name)
    }
}
