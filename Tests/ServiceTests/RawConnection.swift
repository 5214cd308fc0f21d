import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// A plain TCP connection for clients no HTTP library would be: one that stops sending mid-upload.
final class RawConnection {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw FixtureError("connect: \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    func send(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw FixtureError("send: \(String(cString: strerror(errno)))") }
                offset += n
            }
        }
    }

    /// Reads until the answer's head and `Content-Length` bytes of body have come (or the server closes); returns status and body.
    func readAnswer() throws -> (status: Int, body: String) {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = received.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count - end.upperBound >= length {
                    let status = Int(head.split(separator: " ")[1]) ?? 0
                    return (status, String(decoding: received[end.upperBound...], as: UTF8.self))
                }
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { throw FixtureError("the connection closed after \(received.count) bytes: \(String(decoding: received, as: UTF8.self))") }
            received.append(contentsOf: buffer[0..<n])
        }
    }
}
