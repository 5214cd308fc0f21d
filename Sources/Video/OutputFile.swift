import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A muxer writing under a hidden temporary name beside `path`, renamed into place by `commit()`.
///
/// The container is the one libavformat picks for `path`'s extension. Released without a
/// successful `commit()` (an error, or an encoder dropped unfinished), it closes and removes the
/// temporary file, so no partial output is ever left under either name.
final class OutputFile {
    let path: String
    /// `FOLDER/.STEM.partial-PID-RANDOM.EXT`: hidden, in the same folder (so the rename is atomic),
    /// the real extension last.
    let temporaryPath: String
    let context: UnsafeMutablePointer<AVFormatContext>
    private var created = false
    private var committed = false

    init(path: String) throws(VideoError) {
        self.path = path
        if let kind = VideoProbe.nonRegularKind(path) { throw VideoError(path: path, reason: "is \(kind); give the path of a video file to write") }
        var made: UnsafeMutablePointer<AVFormatContext>?
        let allocated = avformat_alloc_output_context2(&made, nil, nil, path)
        guard allocated >= 0, let made else {
            throw VideoError(path: path, reason: "libavformat has no container for this file name; end it in .mp4, .mkv or .mov (\(Libav.errorText(allocated)))")
        }
        context = made
        temporaryPath = Self.temporaryName(for: path)
        guard made.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 else {
            throw VideoError(path: path, reason: "the \(formatName) format writes its own files, not one; end the name in .mp4, .mkv or .mov")
        }
    }

    deinit {
        if created, context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
        if created && !committed { unlink(temporaryPath) }
    }

    /// The hidden temporary name for `path`, e.g. `out/.clip.partial-4242-1a2b3c4d.mp4` for `out/clip.mp4`.
    static func temporaryName(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var stem = name, suffix = ""
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = String(name[..<dot])
            suffix = String(name[dot...])
        }
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(folder).\(stem).partial-\(getpid())-\(random)\(suffix)"
    }

    /// libavformat's short name of the container, e.g. "mp4", "matroska".
    var formatName: String { String(cString: context.pointee.oformat.pointee.name) }

    /// True when the container can hold `codec` (libavformat knows a tag for it).
    func accepts(_ codec: AVCodecID) -> Bool {
        avformat_query_codec(context.pointee.oformat, codec, FF_COMPLIANCE_NORMAL) == 1
    }

    /// True when the container wants codec headers out of band (`AV_CODEC_FLAG_GLOBAL_HEADER`), as MP4 does.
    var wantsGlobalHeader: Bool { context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    func addStream() throws(VideoError) -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else { throw VideoError(path: path, reason: "out of memory") }
        return stream
    }

    /// Creates the temporary file and writes the container's header (stream time bases are final after it).
    func start() throws(VideoError) {
        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        defer { av_dict_free(&options) }
        let opened = avio_open2(&context.pointee.pb, "file:" + temporaryPath, AVIO_FLAG_WRITE, nil, &options)
        guard opened >= 0 else { throw VideoError(path: path, reason: createFailure(opened)) }
        created = true
        let header = avformat_write_header(context, nil)
        guard header >= 0 else {
            throw VideoError(path: path, reason: "cannot start the \(formatName) file (\(Libav.errorText(header)))")
        }
    }

    /// Hands one packet to the interleaving muxer (which takes its data).
    func write(_ packet: UnsafeMutablePointer<AVPacket>) throws(VideoError) {
        let written = av_interleaved_write_frame(context, packet)
        guard written >= 0 else { throw VideoError(path: path, reason: "cannot write to \(temporaryPath) (\(Libav.errorText(written)))") }
    }

    /// Writes the trailer, closes and syncs the file, and renames it to `path` (replacing what was there).
    func commit() throws(VideoError) {
        let trailer = av_write_trailer(context)
        let closed = avio_closep(&context.pointee.pb)
        guard trailer >= 0, closed >= 0 else {
            throw VideoError(path: path, reason: "cannot finish \(temporaryPath) (\(Libav.errorText(trailer < 0 ? trailer : closed)))")
        }
        guard Self.sync(temporaryPath, flags: O_RDONLY) else {
            throw VideoError(path: path, reason: "cannot flush \(temporaryPath) to disk (\(String(cString: strerror(errno))))")
        }
        guard rename(temporaryPath, path) == 0 else {
            throw VideoError(path: path, reason: "cannot rename \(temporaryPath) to it (\(String(cString: strerror(errno))))")
        }
        committed = true
        // The rename itself survives a crash once the folder is synced; best effort.
        _ = Self.sync(folder.isEmpty ? "." : folder, flags: O_RDONLY | O_DIRECTORY)
    }

    /// The folder part of `path`, "" for a bare name.
    private var folder: String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Opens `file` with `flags`, fsyncs and closes it; false (errno set) when any step failed.
    private static func sync(_ file: String, flags: Int32) -> Bool {
        let fd = open(file, flags | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return fsync(fd) == 0
    }

    /// Words a user can act on for a failed `avio_open2` of the temporary file.
    private func createFailure(_ code: Int32) -> String {
        let named = folder.isEmpty ? "the current folder" : folder
        let text = Libav.errorText(code)
        switch code {
        case biomech_averror(ENOENT): return "the folder \(named) does not exist (\(text))"
        case biomech_averror(ENOTDIR): return "\(named) is not a folder (\(text))"
        case biomech_averror(EACCES), biomech_averror(EPERM), biomech_averror(EROFS):
            return "cannot write in \(named) (\(text))"
        default: return "cannot create \(temporaryPath) (\(text))"
        }
    }
}
