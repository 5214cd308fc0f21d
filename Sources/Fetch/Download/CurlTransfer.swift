import CCurl
import Foundation

/// One HTTP GET through libcurl's easy interface, streaming the body to a sink.
///
/// This is the only file that sees libcurl. It reports what happened (status, headers, curl's
/// error) and leaves every decision about retries and resuming to `Downloader`.
final class CurlTransfer {
    /// What the response's headers said; reset for each response (redirects have several).
    struct Response {
        var status = 0
        var contentRange: String?
        var contentLength: Int64?
        var retryAfter: String?
    }

    /// What a finished `perform` returned.
    struct Outcome {
        var curlCode: Int
        var curlMessage: String
        var response: Response
        var effectiveURL: String
        /// True when the failure is a transport fault that a retry may cure.
        var isTransient: Bool
        /// True when the low-speed limit (a stalled transfer) or a timeout ended it.
        var timedOut: Bool
    }

    /// Receives the body; returning false aborts the transfer (libcurl reports a write error).
    typealias BodySink = (Response, UnsafeRawBufferPointer) -> Bool
    private final class Context {
        var response = Response()
        let sink: BodySink
        init(sink: @escaping BodySink) { self.sink = sink }
    }

    /// libcurl's receive buffer: the most bytes one body callback delivers.
    static let bufferSize = 128 * 1024

    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    struct Options {
        var userAgent = "biomech-fetch"
        var connectTimeout = 30
        /// Abort when fewer than `lowSpeedBytes` per second arrive for `stallSeconds`.
        var stallSeconds = 30
        var lowSpeedBytes = 1024
        var range: String?
    }

    /// Performs a GET of `url`, calling `sink` with each piece of the body.
    static func get(_ url: String, options: Options, sink: @escaping BodySink) -> Outcome {
        _ = globalInit
        guard let handle = curl_easy_init() else {
            return Outcome(curlCode: -1, curlMessage: "curl_easy_init failed", response: Response(),
                           effectiveURL: url, isTransient: false, timedOut: false)
        }
        defer { curl_easy_cleanup(handle) }
        let context = Context(sink: sink)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        let opaque = unmanaged.toOpaque()

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        // The first option libcurl refused: the transfer is not attempted with a half-made handle.
        var refused: (option: String, code: CURLcode)?
        func set(_ name: String, _ result: CURLcode) {
            if result != CURLE_OK && refused == nil { refused = (name, result) }
        }
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            set("CURLOPT_URL", biomech_curl_setopt_string(handle, CURLOPT_URL, url))
            set("CURLOPT_ERRORBUFFER", biomech_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress))
            set("CURLOPT_NOSIGNAL", biomech_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
            set("CURLOPT_FOLLOWLOCATION", biomech_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1))
            set("CURLOPT_MAXREDIRS", biomech_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 10))
            set("CURLOPT_USERAGENT", biomech_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent))
            set("CURLOPT_CONNECTTIMEOUT", biomech_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeout))
            set("CURLOPT_LOW_SPEED_LIMIT", biomech_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes))
            set("CURLOPT_LOW_SPEED_TIME", biomech_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, options.stallSeconds))
            set("CURLOPT_BUFFERSIZE", biomech_curl_setopt_long(handle, CURLOPT_BUFFERSIZE, bufferSize))
            // Bodies arrive as sent: a checksum is computed over exactly the stored bytes.
            set("CURLOPT_HTTP_CONTENT_DECODING", biomech_curl_setopt_long(handle, CURLOPT_HTTP_CONTENT_DECODING, 0))
            if let range = options.range { set("CURLOPT_RANGE", biomech_curl_setopt_string(handle, CURLOPT_RANGE, range)) }
            set("CURLOPT_HEADERFUNCTION", biomech_curl_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION, headerCallback))
            set("CURLOPT_HEADERDATA", biomech_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, opaque))
            set("CURLOPT_WRITEFUNCTION", biomech_curl_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION, writeCallback))
            set("CURLOPT_WRITEDATA", biomech_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, opaque))
            if let refused { return refused.code }
            return curl_easy_perform(handle)
        }
        if let refused {
            return Outcome(curlCode: Int(code.rawValue),
                           curlMessage: "libcurl refused option \(refused.option): \(String(cString: curl_easy_strerror(refused.code)))",
                           response: context.response, effectiveURL: url, isTransient: false, timedOut: false)
        }
        var effective: UnsafeMutablePointer<CChar>?
        // Without an answer the requested URL stands in: it is only used to name the source in messages.
        let effectiveURL = biomech_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK
            ? effective.map { String(cString: $0) } ?? url : url
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return Outcome(curlCode: Int(code.rawValue), curlMessage: message, response: context.response,
                       effectiveURL: effectiveURL,
                       isTransient: transientCodes.contains(code), timedOut: code == CURLE_OPERATION_TIMEDOUT)
    }

    /// Transport failures worth retrying: the network, the peer, or a stalled transfer.
    private static let transientCodes: Set<CURLcode> = [
        CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
        CURLE_PARTIAL_FILE, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
        CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SSL_CONNECT_ERROR,
    ]

    private static let headerCallback: biomech_curl_data_cb = { pointer, size, count, user in
        let length = size * count
        guard let pointer, let user else { return length }
        let context = Unmanaged<Context>.fromOpaque(user).takeUnretainedValue()
        let line = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            context.response = Response()
            let parts = line.split(separator: " ")
            if parts.count >= 2 { context.response.status = Int(parts[1]) ?? 0 }
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-range": context.response.contentRange = value
            case "content-length": context.response.contentLength = Int64(value)
            case "retry-after": context.response.retryAfter = value
            default: break
            }
        }
        return length
    }

    private static let writeCallback: biomech_curl_data_cb = { pointer, size, count, user in
        let length = size * count
        guard let pointer, let user else { return 0 }
        let context = Unmanaged<Context>.fromOpaque(user).takeUnretainedValue()
        let ok = context.sink(context.response, UnsafeRawBufferPointer(start: pointer, count: length))
        return ok ? length : 0
    }
}
