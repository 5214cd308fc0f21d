import NIOCore

/// Keeps MultipartKit 4.7.1's parser from trapping on a hostile form.
///
/// The parser checks each byte of a part's header names against a 128-entry table indexed by the
/// byte itself, so a byte of 0x80 or more in a header name reads past the table and stops the
/// whole process (found by `make fuzz`, FuzzMultipart). The guard follows the parser's states over
/// the same bytes, mirroring its transitions, and refuses such a byte before the parser sees it.
/// Header values (a UTF-8 `filename`) and bodies may hold any byte.
struct MultipartGuard {
    private enum State {
        /// Before the first boundary; `match` counts bytes of `delimiter` matched, as the parser does.
        case preamble(match: Int)
        /// After a boundary: CR starts the next part's headers, anything else ends the form.
        case afterDelimiter
        /// Expecting the CR, then the LF, that start a header block.
        case startCR, startLF
        case name(empty: Bool)
        case value
        /// After a header value's CR (LF next), or after the blank line's CR (LF, then the body).
        case valueLF, blankLF
        case body
        /// After the closing boundary, or at a syntax error the parser will report: nothing more to guard.
        case done
    }

    /// `\r\n--BOUNDARY`, as the parser matches it.
    private let delimiter: [UInt8]
    private var state = State.preamble(match: 0)
    /// The body's last bytes, shorter than `delimiter`, so a delimiter split across chunks is found.
    private var carry: [UInt8] = []

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Throws when `chunk` puts a byte the parser cannot take into a header name.
    mutating func check(_ chunk: ByteBuffer) throws {
        let bytes = Array(chunk.readableBytesView)
        var i = 0
        while i < bytes.count {
            if case .body = state {
                i = findDelimiter(in: bytes, from: i)
                continue
            }
            let byte = bytes[i]
            i += 1
            switch state {
            case .preamble(let match):
                // The parser's own matching, quirks included (it may skip the leading CRLF).
                var next = 0
                if match == 0, byte == delimiter[2] { next = 3 } else if byte == delimiter[match] { next = match + 1 } else if match > 0, byte == delimiter[0] { next = 1 }
                state = next >= delimiter.count ? .startCR : .preamble(match: next)
            case .afterDelimiter: state = byte == Self.cr ? .startLF : .done
            case .startCR: state = byte == Self.cr ? .startLF : .done
            case .startLF: state = byte == Self.lf ? .name(empty: true) : .done
            case .name(let empty):
                if byte == Self.colon, !empty { state = .value } else if byte == Self.cr, empty { state = .blankLF } else if byte >= 0x80 {
                    throw ServiceError.badRequest("malformed_multipart", "a multipart part's header name holds the byte 0x\(String(byte, radix: 16)); header names are ASCII")
                } else if byte == Self.cr || byte == Self.lf { state = .done } else { state = .name(empty: false) }
            case .value: if byte == Self.cr { state = .valueLF }
            case .valueLF: state = byte == Self.lf ? .name(empty: true) : .done
            case .blankLF:
                state = byte == Self.lf ? .body : .done
                carry = []
            case .body, .done: break
            }
            if case .done = state { return }
        }
    }

    /// In a body: the index just past the next delimiter (the state moves on), or the end of `bytes`.
    private mutating func findDelimiter(in bytes: [UInt8], from start: Int) -> Int {
        // Window index w is bytes index start + w - carried.
        let carried = carry.count
        let window = carry + bytes[start...]
        var at = window.startIndex
        while let cr = window[at...].firstIndex(of: Self.cr) {
            let end = cr + delimiter.count
            if end > window.endIndex {
                // A partial match at the end: keep it for the next chunk.
                if window[cr...].elementsEqual(delimiter.prefix(window.endIndex - cr)) {
                    carry = Array(window[cr...])
                    return bytes.count
                }
            } else if window[cr..<end].elementsEqual(delimiter) {
                carry = []
                state = .afterDelimiter
                return start + end - carried
            }
            at = cr + 1
        }
        carry = []
        return bytes.count
    }

    private static let cr: UInt8 = 13, lf: UInt8 = 10, colon: UInt8 = 58
}
