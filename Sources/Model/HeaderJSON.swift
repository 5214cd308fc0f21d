// A strict JSON reader for file headers (safetensors, checkpoints), whose every byte may be hostile.
// Foundation's readers accept duplicate keys silently (one wins) and turn large integers into
// doubles; here a duplicate key is an error, integers stay exact, and nesting is capped.

/// A JSON value with object members in file order.
enum HeaderJSON: Equatable {
    case null, bool(Bool), string(String), array([HeaderJSON]), object([(key: String, value: HeaderJSON)])
    /// A number, kept as its literal so that integers convert exactly.
    case number(String)

    static func == (a: HeaderJSON, b: HeaderJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(x), .string(y)), let (.number(x), .number(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: return false
        }
    }

    /// A place in the text and what is wrong there.
    struct Problem: Error { var offset: Int; var message: String }

    /// Deeper than any header needs; bounds the recursion.
    static let maximumDepth = 32

    /// Parses `bytes` as one JSON value (whitespace around it allowed).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Problem) -> HeaderJSON {
        var reader = Reader(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.at == bytes.count else { throw Problem(offset: reader.at, message: "text after the JSON value") }
        return value
    }

    /// The value as an integer, when it is an integer literal that fits.
    var integer: Int? { if case let .number(text) = self { return Int(text) } else { return nil } }
}

private struct Reader {
    let bytes: UnsafeRawBufferPointer
    var at = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func fail(_ message: String) -> HeaderJSON.Problem { HeaderJSON.Problem(offset: at, message: message) }
    var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

    mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { at += 1 }
    }

    mutating func expect(_ literal: String) throws(HeaderJSON.Problem) {
        for byte in literal.utf8 {
            guard peek == byte else { throw fail("expected \(literal)") }
            at += 1
        }
    }

    mutating func value(depth: Int) throws(HeaderJSON.Problem) -> HeaderJSON {
        guard depth < HeaderJSON.maximumDepth else { throw fail("nested deeper than \(HeaderJSON.maximumDepth) levels") }
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"):
            at += 1
            var members: [(key: String, value: HeaderJSON)] = []
            var keys = Set<String>()
            skipSpace()
            if peek == UInt8(ascii: "}") { at += 1; return .object(members) }
            while true {
                skipSpace()
                let keyOffset = at
                let key = try string()
                guard keys.insert(key).inserted else { throw HeaderJSON.Problem(offset: keyOffset, message: "duplicate key \"\(key)\"") }
                skipSpace()
                try expect(":")
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                if peek == UInt8(ascii: ",") { at += 1; continue }
                try expect("}")
                return .object(members)
            }
        case UInt8(ascii: "["):
            at += 1
            var elements: [HeaderJSON] = []
            skipSpace()
            if peek == UInt8(ascii: "]") { at += 1; return .array(elements) }
            while true {
                elements.append(try value(depth: depth + 1))
                skipSpace()
                if peek == UInt8(ascii: ",") { at += 1; continue }
                try expect("]")
                return .array(elements)
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case let c? where c == UInt8(ascii: "-") || (0x30...0x39).contains(c): return .number(try number())
        case nil: throw fail("unexpected end of the header")
        default: throw fail("unexpected character")
        }
    }

    /// A JSON number's literal: -? int frac? exp?
    mutating func number() throws(HeaderJSON.Problem) -> String {
        let start = at
        func digits() -> Int {
            let from = at
            while let c = peek, (0x30...0x39).contains(c) { at += 1 }
            return at - from
        }
        if peek == UInt8(ascii: "-") { at += 1 }
        guard digits() > 0 else { throw fail("a number needs digits") }
        if peek == UInt8(ascii: ".") { at += 1; guard digits() > 0 else { throw fail("a fraction needs digits") } }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            at += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
            guard digits() > 0 else { throw fail("an exponent needs digits") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
    }

    /// A string literal; its bytes must be UTF-8.
    mutating func string() throws(HeaderJSON.Problem) -> String {
        let start = at
        try expect("\"")
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw fail("unterminated string") }
            at += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw HeaderJSON.Problem(offset: start, message: "string is not UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                guard let e = peek else { throw fail("unterminated string") }
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("unpaired surrogate") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw fail("unknown escape")
                }
            case 0..<0x20: throw fail("control character in a string")
            default: out.append(c)
            }
        }
    }

    static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x57
        case 0x41...0x46: return c - 0x37
        default: return nil
        }
    }

    mutating func hex4() throws(HeaderJSON.Problem) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek, let digit = Self.hexDigit(c) else { throw fail("bad \\u escape") }
            value = value << 4 | UInt32(digit)
            at += 1
        }
        return value
    }
}
