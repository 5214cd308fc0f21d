import Crypto
import Foundation

/// The keys `--api-key-file` allows: one per line; blank lines and `#` comments are skipped.
///
/// Keys are kept as SHA-256 digests and compared digest to digest, in constant time (swift-crypto's
/// digest equality), so neither the keys nor their length leak through timing.
/// (`@unchecked`: swift-crypto's digests are immutable values it has not marked Sendable.)
struct APIKeys: @unchecked Sendable {
    private let digests: [SHA256.Digest]

    init(file: String) throws {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ServeOptionsError("--api-key-file \(file): cannot read it (\(error.localizedDescription))")
        }
        let keys = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !keys.isEmpty else { throw ServeOptionsError("--api-key-file \(file): no key in it (one key per line; # starts a comment)") }
        if let short = keys.firstIndex(where: { $0.count < 16 }) {
            throw ServeOptionsError("--api-key-file \(file): key \(short + 1) has \(keys[short].count) characters; use at least 16 (e.g. openssl rand -hex 32)")
        }
        digests = keys.map { SHA256.hash(data: Data($0.utf8)) }
    }

    /// True when `presented` is one of the keys; every key is compared, whichever matches.
    func allows(_ presented: String) -> Bool {
        let digest = SHA256.hash(data: Data(presented.utf8))
        var found = false
        for key in digests where key == digest { found = true }
        return found
    }

    /// The key of a request: `Authorization: Bearer KEY`, else `X-API-Key: KEY`.
    static func presented(authorization: String?, apiKey: String?) -> String? {
        if let authorization, authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return apiKey?.trimmingCharacters(in: .whitespaces)
    }
}
