import Foundation

/// The `.npy` preamble and header dict: formatting exactly as numpy does, and parsing.
///
/// Layout: the magic `\x93NUMPY`, a major and minor version byte, the header length
/// (little-endian UInt16 for 1.0, UInt32 for 2.0 and 3.0), then the header: a Python dict
/// literal padded with spaces and a final `\n` so the data starts at a multiple of 64 bytes.
struct NPYHeader: Equatable {
    /// The dtype string; for a structured dtype (not a string), its Python repr.
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
    /// Whether `descr` was not a string (a structured dtype's list of fields, or garbage).
    var structured = false

    /// The dtype as error messages show it: quoted when it is a string, as written otherwise.
    var descrForMessage: String { structured ? descr : "'\(descr)'" }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// numpy aligns the data to 64 bytes so memory-mapped arrays suit any SIMD load.
    static let alignment = 64
    /// numpy leaves room for the growing axis to reach this many digits, so a writer that
    /// appends frames can rewrite the header in place; matching it keeps our bytes identical.
    static let growthAxisDigits = 21

    /// The shape as Python's `repr` of a tuple: `()`, `(n,)` or `(a, b, c)`.
    static func shapeRepr(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
    }

    /// The preamble and padded header, byte-identical to numpy's `np.save` for the same array.
    func encoded() -> [UInt8] {
        // numpy sorts the keys and leaves a trailing ", " before the closing brace.
        var dict = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), "
            + "'shape': \(NPYHeader.shapeRepr(shape)), }"
        if let growing = fortranOrder ? shape.last : shape.first {
            dict += String(repeating: " ", count: max(0, NPYHeader.growthAxisDigits - String(growing).count))
        }
        let text = Array(dict.utf8)
        // Like numpy, use 1.0 while the length fits its UInt16 field and fall back to 2.0.
        for (major, lengthBytes) in [(UInt8(1), 2), (UInt8(2), 4)] {
            let preamble = NPYHeader.magic.count + 2 + lengthBytes
            let unpadded = preamble + text.count + 1  // + the closing newline
            // numpy adds a full 64 spaces when already aligned; keep that quirk for identical bytes.
            let padding = NPYHeader.alignment - unpadded % NPYHeader.alignment
            let headerLength = text.count + padding + 1
            guard lengthBytes == 4 || headerLength <= Int(UInt16.max) else { continue }
            var bytes = NPYHeader.magic + [major, 0]
            bytes.reserveCapacity(preamble + headerLength)
            for i in 0..<lengthBytes { bytes.append(UInt8(truncatingIfNeeded: headerLength >> (8 * i))) }
            bytes += text
            bytes += repeatElement(UInt8(ascii: " "), count: padding)
            bytes.append(UInt8(ascii: "\n"))
            return bytes
        }
        preconditionFailure("a header always fits a UInt32 length")
    }

    /// Parses the magic, version and length field; returns where the header starts and its length.
    ///
    /// Needs only the first 12 bytes, so a file reader learns how much more to read.
    static func preamble(_ bytes: UnsafeRawBufferPointer) throws(HeaderProblem) -> (major: UInt8, headerStart: Int, headerLength: Int) {
        guard bytes.count >= magic.count + 2, magic.indices.allSatisfy({ bytes[$0] == magic[$0] }) else {
            let found = bytes.prefix(magic.count + 2).map { b in
                (32..<127).contains(b) ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16, uppercase: false).leftPadded(2)
            }.joined()
            throw HeaderProblem("bad magic: found \"\(found)\" (expected \"\\x93NUMPY\" and a version)")
        }
        let major = bytes[6], minor = bytes[7]
        let lengthBytes: Int
        switch (major, minor) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default: throw HeaderProblem("format version \(major).\(minor) is not supported (expected 1.0, 2.0 or 3.0)")
        }
        let lengthAt = magic.count + 2
        guard bytes.count >= lengthAt + lengthBytes else {
            throw HeaderProblem("file ends inside the header length field (\(bytes.count) bytes)")
        }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[lengthAt + i]) << (8 * i) }
        return (major, lengthAt + lengthBytes, headerLength)
    }

    /// Parses the preamble and header at the start of `bytes`; returns the header and where the data starts.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(HeaderProblem) -> (NPYHeader, dataOffset: Int) {
        let (major, headerStart, headerLength) = try preamble(bytes)
        guard bytes.count - headerStart >= headerLength else {
            throw HeaderProblem("header declares \(headerLength) bytes but only \(bytes.count - headerStart) follow the preamble (truncated?)")
        }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[headerStart..<headerStart + headerLength])
        // 1.0 and 2.0 headers are latin-1 (every byte is a character); 3.0 headers are UTF-8.
        let text: String
        if major == 3 {
            guard let utf8 = String(validating: raw, as: UTF8.self) else {
                throw HeaderProblem("version 3.0 header is not valid UTF-8")
            }
            text = utf8
        } else {
            text = String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
        }
        let header = try parseDict(text, allowLongSuffix: major < 3)
        return (header, headerStart + headerLength)
    }

    /// Checks the dict has exactly numpy's three keys with values of the right kinds.
    static func parseDict(_ text: String, allowLongSuffix: Bool) throws(HeaderProblem) -> NPYHeader {
        let literal: PythonLiteral
        do {
            literal = try PythonLiteral.parse(text, allowLongSuffix: allowLongSuffix)
        } catch {
            throw HeaderProblem("header is not a Python dict literal (\(error.message) at character \(error.offset)): \(text.quotedForMessage)")
        }
        guard case .dict(let pairs) = literal else {
            throw HeaderProblem("header is not a dict: \(text.quotedForMessage)")
        }
        var entries: [String: PythonLiteral] = [:]
        for pair in pairs {
            guard case .string(let key) = pair.key else { throw HeaderProblem("header key \(pair.key.repr) is not a string") }
            entries[key] = pair.value
        }
        let expectedKeys = ["descr", "fortran_order", "shape"]
        guard entries.keys.sorted() == expectedKeys else {
            throw HeaderProblem("header keys are \(entries.keys.sorted()) (expected exactly \(expectedKeys))")
        }
        // A non-string descr is kept for the reader to refuse, with the dtypes it expected.
        let descr: String, structured: Bool
        if case .string(let text) = entries["descr"]! {
            (descr, structured) = (text, false)
        } else {
            (descr, structured) = (entries["descr"]!.repr, true)
        }
        guard case .bool(let fortranOrder) = entries["fortran_order"]! else {
            throw HeaderProblem("fortran_order is \(entries["fortran_order"]!.repr) (expected True or False)")
        }
        guard case .tuple(let dimensions) = entries["shape"]! else {
            throw HeaderProblem("shape is \(entries["shape"]!.repr) (expected a tuple of integers)")
        }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case .int(let size) = dimension, size >= 0 else {
                throw HeaderProblem("shape \(PythonLiteral.tuple(dimensions).repr) has \(dimension.repr) (expected non-negative integers)")
            }
            shape.append(size)
        }
        return NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape, structured: structured)
    }
}

/// Why a header was refused; the caller adds the file name.
struct HeaderProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }

    /// The text trimmed of padding and shortened, so a garbage header cannot flood a log.
    var quotedForMessage: String {
        let trimmed = trimmingTrailingWhitespace()
        let short = trimmed.count > 120 ? String(trimmed.prefix(120)) + "…" : trimmed
        return "\"\(short.replacingOccurrences(of: "\n", with: "\\n"))\""
    }

    private func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\n" || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
