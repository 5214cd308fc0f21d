import BiomechCore
import Foundation

/// A fresh folder under the system's temporary directory, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }
    private let owned: Bool

    public init(_ prefix: String = "biomech-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        owned = true
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Wraps an existing folder, which is kept when the value is released.
    public init(existing url: URL) {
        self.url = url
        owned = false
    }

    /// `url` joined with a relative path.
    public func callAsFunction(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// Writes `data` at a relative path, creating folders.
    @discardableResult
    public func write(_ relative: String, _ data: Data) throws -> URL {
        let target = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
        return target
    }

    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> URL { try write(relative, Data(text.utf8)) }

    deinit { if owned { try? FileManager.default.removeItem(at: url) } }
}

/// Deterministic pseudo-random bytes from the project's seeded generator, so fixtures are reproducible.
public func pseudoRandomBytes(_ count: Int, seed: UInt64 = 42) -> Data {
    var random = SeededRandom(seed: seed)
    return Data((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next() >> 56) })
}
