import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 of files on disk, read in large blocks.
public enum FileDigest {
    /// The lowercase hex SHA-256 of the file at `path` and its size in bytes.
    public static func sha256(ofFile path: String) throws -> (hex: String, bytes: Int64) {
        var hasher = SHA256()
        let bytes = try update(&hasher, withFile: path)
        return (hex(hasher.finalize()), bytes)
    }

    /// Feeds the whole file at `path` into `hasher`; returns the number of bytes read.
    package static func update(_ hasher: inout SHA256, withFile path: String) throws -> Int64 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.posix("open", path, errno: errno) }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.posix("read", path, errno: errno)
            }
            if n == 0 { return total }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += Int64(n)
        }
    }

    /// The lowercase hex SHA-256 of `bytes`.
    public static func sha256(of bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// Hex SHA-256 of `data`.
    public static func sha256(of data: Data) -> String { hex(SHA256.hash(data: data)) }

    package static func hex<D: Digest>(_ digest: D) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
