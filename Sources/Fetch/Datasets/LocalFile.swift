import Datasets
import BiomechCore
import Foundation

/// A file already on disk and its SHA-256, trusted from the receipt when size and mtime still match.
struct LocalFile {
    var sha256: String
    var bytes: Int64
    var mtime: Double
    /// True when the hash came from the receipt instead of reading the file.
    var fromReceipt: Bool

    /// Inspects `url`; nil when it does not exist. `verify` forces a re-hash.
    static func inspect(_ url: URL, previous: Receipt.Entry?, verify: Bool) throws -> LocalFile? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              (attributes[.type] as? FileAttributeType) == .typeRegular else { return nil }
        let bytes = (attributes[.size] as? Int64) ?? 0
        let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        if !verify, let previous, previous.bytes == bytes, previous.mtime == mtime {
            return LocalFile(sha256: previous.sha256, bytes: bytes, mtime: mtime, fromReceipt: true)
        }
        let digest = try FileDigest.sha256(ofFile: url.path)
        return LocalFile(sha256: digest.hex, bytes: digest.bytes, mtime: mtime, fromReceipt: false)
    }

    static func mtime(of url: URL) -> Double {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }
}
