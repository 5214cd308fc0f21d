import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `VideoDecoder` reads: a file, a stream on a pipe (e.g. MPEG-TS on stdin), or a capture device.
///
/// How each is opened: docs/VIDEO.md, "Live input".
public enum VideoSource: Sendable, Equatable, CustomStringConvertible {
    /// A regular file, read through libav's `file:` protocol only.
    case file(String)
    /// An open file descriptor carrying a stream, read front to back (never seeked) through libav's
    /// `pipe:FD` protocol. The decoder does not close it.
    case pipe(Int32)
    /// A V4L2 capture device such as `/dev/video0` (a webcam), through libavdevice's `v4l2` input.
    case device(String)

    /// The source a command-line argument names: `-` is standard input, `/dev/video…` a device,
    /// anything else a file.
    public static func parse(_ argument: String) -> VideoSource {
        if argument == "-" { return .pipe(0) }
        if argument.hasPrefix("/dev/video") { return .device(argument) }
        return .file(argument)
    }

    /// What errors name: the path of a file or device, `pipe:FD` for a pipe.
    public var description: String {
        switch self {
        case .file(let path), .device(let path): path
        case .pipe(let fd): "pipe:\(fd)"
        }
    }

    /// Loads libavdevice and registers its inputs (v4l2) once per process; nil when done, else why not.
    ///
    /// Loaded with dlopen rather than linked: libavdevice pulls in libavfilter, whose speech filter's
    /// libraries load OpenBLAS, which starts a thread as it loads. Linked, that thread ran in every
    /// process using Video, and extraction workers, which must be single-threaded to unshare their
    /// network namespace, could not isolate themselves.
    private static let devices: String? = {
        #if os(macOS)
        let library = "libavdevice.\(LIBAVDEVICE_VERSION_MAJOR).dylib"
        #else
        let library = "libavdevice.so.\(LIBAVDEVICE_VERSION_MAJOR)"
        #endif
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "cannot load it"
            return "webcams need libavdevice, which is missing (\(reason)); install libavdevice\(LIBAVDEVICE_VERSION_MAJOR)"
        }
        guard let register = dlsym(handle, "avdevice_register_all") else { return "\(library) has no avdevice_register_all" }
        unsafeBitCast(register, to: (@convention(c) () -> Void).self)()
        return nil
    }()

    /// Why the source cannot be opened, found without opening it; nil when it may be tried.
    ///
    /// Opening a FIFO named as a file would block until someone writes to it, hence the file check.
    func refusal() -> String? {
        switch self {
        case .file(let path):
            return VideoProbe.nonRegularKind(path).map { "is \($0), not a video file" }
        case .pipe(let fd):
            return fd >= 0 && fcntl(fd, F_GETFD) != -1 ? nil : "is not an open file descriptor"
        case .device(let path):
            var status = stat()
            guard stat(path, &status) == 0 else {
                let code = errno, reason = String(cString: strerror(code))
                guard code == ENOENT else { return "cannot look at the device (\(reason))" }
                return "no such video device (\(reason)); is the camera connected? (ls /dev/video* lists the devices there are)"
            }
            return status.st_mode & S_IFMT == S_IFCHR ? nil : "is not a device; a webcam is a /dev/videoN character device"
        }
    }

    /// Opens the container (`avformat_open_input`); the libav return code.
    func open(into context: inout UnsafeMutablePointer<AVFormatContext>?) -> Int32 {
        switch self {
        case .file(let path):
            return VideoProbe.open(path, into: &context)
        case .pipe(let fd):
            // Only the pipe protocol: the stream's bytes cannot name another protocol to open.
            var options: OpaquePointer?
            av_dict_set(&options, "protocol_whitelist", "pipe", 0)
            defer { av_dict_free(&options) }
            return avformat_open_input(&context, "pipe:\(fd)", nil, &options)
        case .device(let path):
            guard Self.devices == nil else { return biomech_averror(ENOSYS) }
            guard let v4l2 = av_find_input_format("v4l2") else { return biomech_averror(ENOSYS) }
            return avformat_open_input(&context, path, v4l2, nil)
        }
    }

    /// Words a user can act on for a failed `open(into:)`.
    func openFailure(_ code: Int32) -> String {
        let text = Libav.errorText(code)
        switch self {
        case .file:
            return VideoProbe.openFailure(code)
        case .pipe:
            switch code {
            case biomech_averror_eof(): return "the stream ended before its headers did; was anything written to the pipe? (\(text))"
            default: return "not a video stream libavformat can read (nothing at all, or not a streamable format such as MPEG-TS) (\(text))"
            }
        case .device:
            switch code {
            case biomech_averror(ENOSYS): return Self.devices ?? "this FFmpeg's libavdevice has no v4l2 input"
            case biomech_averror(EACCES), biomech_averror(EPERM):
                return "cannot open the device (\(text)); is this user in the video group?"
            case biomech_averror(EBUSY): return "the device is busy; is another program capturing from it? (\(text))"
            default: return "cannot capture from the device (\(text))"
            }
        }
    }
}
