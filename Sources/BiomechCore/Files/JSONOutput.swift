import Foundation

/// The JSON biomech writes: sorted keys, so the same value always gives the same bytes.
public enum JSONOutput {
    /// An encoder with sorted keys; `pretty` indents, `nonFinite` writes NaN and infinities as the
    /// strings "nan", "inf" and "-inf" instead of failing (a diverged training loss).
    public static func encoder(pretty: Bool = false, nonFinite: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        if nonFinite {
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        }
        return encoder
    }

    /// `value` as JSON followed by a newline.
    public static func data<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        try encoder(pretty: pretty).encode(value) + Data("\n".utf8)
    }

    /// Writes `value` as JSON and a newline to `url`, atomically.
    public static func write<T: Encodable>(_ value: T, to url: URL, pretty: Bool = false) throws {
        try AtomicFile.write(data(value, pretty: pretty), to: url)
    }
}
