/// The subset of Python literal syntax that `.npy` headers are written in.
///
/// numpy reads headers with `ast.literal_eval`; this parser accepts the same shapes of input
/// that matter here (dicts, tuples, lists, strings, ints, booleans, None) so a header numpy
/// accepts is not refused for cosmetic reasons such as extra spaces or double quotes.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: PythonLiteral, value: PythonLiteral)])

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.none, .none): return true
        case let (.tuple(x), .tuple(y)), let (.list(x), .list(y)): return x == y
        case let (.dict(x), .dict(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// How the value reads in Python source, for error messages.
    var repr: String {
        switch self {
        case .string(let s): return "'\(s)'"
        case .int(let i): return String(i)
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .tuple(let items): return items.count == 1 ? "(\(items[0].repr),)" : "(\(items.map(\.repr).joined(separator: ", ")))"
        case .list(let items): return "[\(items.map(\.repr).joined(separator: ", "))]"
        case .dict(let pairs): return "{\(pairs.map { "\($0.key.repr): \($0.value.repr)" }.joined(separator: ", "))}"
        }
    }

    /// Parses `text` as exactly one literal surrounded by optional whitespace.
    ///
    /// `allowLongSuffix` accepts Python 2's `3L` integers, which old version 1.0/2.0 files contain.
    static func parse(_ text: String, allowLongSuffix: Bool) throws(PythonLiteralError) -> PythonLiteral {
        var parser = Parser(scalars: Array(text.unicodeScalars), allowLongSuffix: allowLongSuffix)
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == parser.scalars.count else { throw parser.error("unexpected text after the literal") }
        return value
    }
}

/// Where and why a header failed to parse.
struct PythonLiteralError: Error {
    var offset: Int
    var message: String
}

/// A recursive-descent parser over Unicode scalars; headers are a few hundred characters at most.
private struct Parser {
    let scalars: [Unicode.Scalar]
    let allowLongSuffix: Bool
    var position = 0
    var depth = 0

    init(scalars: [Unicode.Scalar], allowLongSuffix: Bool) {
        self.scalars = scalars
        self.allowLongSuffix = allowLongSuffix
    }

    func error(_ message: String) -> PythonLiteralError { PythonLiteralError(offset: position, message: message) }

    var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    mutating func skipWhitespace() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
    }

    mutating func value() throws(PythonLiteralError) -> PythonLiteral {
        skipWhitespace()
        guard let c = current else { throw error("unexpected end of header") }
        // A hostile header of nested brackets must not overflow the stack.
        guard depth < 32 else { throw error("literal nested too deeply") }
        switch c {
        case "{": return try dict()
        case "(": return try sequence(close: ")")
        case "[": return try sequence(close: "]")
        case "'", "\"": return .string(try string())
        case "-", "+", "0"..."9": return .int(try integer())
        default:
            for (word, literal) in [("True", PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)]
                where matches(word) {
                position += word.unicodeScalars.count
                return literal
            }
            throw error("unexpected character '\(c)'")
        }
    }

    /// Whether `word` starts here and is not the prefix of a longer name.
    func matches(_ word: String) -> Bool {
        let word = Array(word.unicodeScalars)
        guard position + word.count <= scalars.count, Array(scalars[position..<position + word.count]) == word else { return false }
        let next = position + word.count < scalars.count ? scalars[position + word.count] : " "
        return !(next.properties.isAlphabetic || next == "_" || ("0"..."9").contains(next))
    }

    mutating func expect(_ c: Unicode.Scalar) throws(PythonLiteralError) {
        skipWhitespace()
        guard current == c else { throw error("expected '\(c)'") }
        position += 1
    }

    /// Reads comma-separated items up to `close`, allowing a trailing comma as Python does.
    /// Returns the items and whether a comma followed the last one.
    mutating func items(close: Unicode.Scalar, _ item: (inout Parser) throws(PythonLiteralError) -> Void) throws(PythonLiteralError) -> Bool {
        position += 1  // the opening bracket
        depth += 1
        defer { depth -= 1 }
        var trailingComma = false
        while true {
            skipWhitespace()
            if current == close { position += 1; return trailingComma }
            try item(&self)
            skipWhitespace()
            if current == "," { position += 1; trailingComma = true; continue }
            try expect(close)
            return false
        }
    }

    mutating func sequence(close: Unicode.Scalar) throws(PythonLiteralError) -> PythonLiteral {
        var elements: [PythonLiteral] = []
        let trailingComma = try items(close: close) { (p: inout Parser) throws(PythonLiteralError) in elements.append(try p.value()) }
        if close == "]" { return .list(elements) }
        // In Python `(5)` is just 5; only `(5,)` is a one-element tuple.
        if elements.count == 1 && !trailingComma { return elements[0] }
        return .tuple(elements)
    }

    mutating func dict() throws(PythonLiteralError) -> PythonLiteral {
        var pairs: [(key: PythonLiteral, value: PythonLiteral)] = []
        _ = try items(close: "}") { (p: inout Parser) throws(PythonLiteralError) in
            let key = try p.value()
            try p.expect(":")
            let value = try p.value()
            // literal_eval keeps the last of duplicate keys; do the same.
            pairs.removeAll { $0.key == key }
            pairs.append((key, value))
        }
        return .dict(pairs)
    }

    mutating func string() throws(PythonLiteralError) -> String {
        let quote = scalars[position]
        position += 1
        var result = String.UnicodeScalarView()
        while let c = current {
            position += 1
            if c == quote { return String(result) }
            if c == "\n" { break }
            if c == "\\" {
                guard let escaped = current else { break }
                position += 1
                switch escaped {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\\", "'", "\"": result.append(escaped)
                default: result.append("\\"); result.append(escaped)
                }
            } else {
                result.append(c)
            }
        }
        throw error("unterminated string")
    }

    mutating func integer() throws(PythonLiteralError) -> Int {
        var negative = false
        if current == "-" || current == "+" {
            negative = current == "-"
            position += 1
            skipWhitespace()
        }
        var value = 0
        var digits = 0
        while let c = current, ("0"..."9").contains(c) {
            let digit = Int(c.value - 48)
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !o1 && !o2 else { throw error("integer too large") }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw error("expected digits") }
        if allowLongSuffix, current == "L" || current == "l" { position += 1 }
        if let c = current, c == "." || c == "e" || c == "E" || c == "j" || c == "_" || c.properties.isAlphabetic {
            throw error("only integer literals are supported")
        }
        return value
    }
}
