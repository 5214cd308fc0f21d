import Foundation

/// JSON lines over a pair of file descriptors: one message per line, both ways.
public final class MessageChannel {
    private let input: Int32, output: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    public init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    /// A worker process's end: messages in on standard input, out on a private copy of standard
    /// output; fd 1 then points at standard error (the parent's log), so nothing a C library prints
    /// can corrupt the messages.
    public static func workerSide() -> MessageChannel {
        let messages = dup(STDOUT_FILENO)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        return MessageChannel(input: STDIN_FILENO, output: messages)
    }

    /// Writes one message; false when the other side has gone (EPIPE).
    @discardableResult
    public func send<Message: Encodable>(_ message: Message) -> Bool {
        guard var data = try? JSONEncoder().encode(message) else { return false }
        data.append(UInt8(ascii: "\n"))
        return data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(output, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// The next message, or nil at end of input. A line that does not decode throws.
    public func receive<Message: Decodable>(_ type: Message.Type) throws -> Message? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[start..<newline])
                start = newline + 1
                if start > 1 << 16 { buffer.removeFirst(start); start = 0 }
                return try JSONDecoder().decode(Message.self, from: line)
            }
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}
