import Foundation
import ZIPFoundation

/// Unpacks one member of a zip held in memory, with its input bounded by the member's own bytes.
///
/// ZIPFoundation 0.9.20's `Archive.extract` feeds its inflater from the open file until the deflate
/// stream ends: a stream that never ends loops at end of file forever (FuzzSpreadsheet). Here the
/// archive's directory still comes from ZIPFoundation, but the member's bytes are cut out of the
/// file by its local header, and the inflater's input is that slice: running past it is an error.
enum ZipPart {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The member `path`, `compressedSize` bytes after its local header in `file`, unpacked to at most `limit` bytes.
    static func unpack(_ path: String, compressedSize: UInt64, from file: [UInt8], limit: Int) throws -> Data {
        let name = Array(path.utf8)
        func le16(_ i: Int) -> Int { Int(file[i]) | Int(file[i + 1]) << 8 }
        var offset: Int?
        var method = 0
        var i = 0
        // The first local header with this name (signature PK\3\4, name at 30, name and extra lengths at 26 and 28).
        while i + 30 <= file.count {
            if file[i] == 0x50, file[i + 1] == 0x4B, file[i + 2] == 0x03, file[i + 3] == 0x04 {
                let nameLength = le16(i + 26), extraLength = le16(i + 28)
                if i + 30 + nameLength <= file.count, file[(i + 30)..<(i + 30 + nameLength)].elementsEqual(name) {
                    method = le16(i + 8)
                    offset = i + 30 + nameLength + extraLength
                    break
                }
            }
            i += 1
        }
        guard let start = offset, start <= file.count else { throw Failure(description: "no local header for \(path)") }
        guard compressedSize <= UInt64(file.count - start) else {
            throw Failure(description: "\(path) claims \(compressedSize) bytes, more than the file holds after it")
        }
        let input = file[start..<(start + Int(compressedSize))]
        switch method {
        case 0:
            guard input.count <= limit else { throw Failure(description: "\(path) is larger than \(limit) bytes") }
            return Data(input)
        case 8:
            var output = Data()
            _ = try Data.decompress(size: Int64(input.count), bufferSize: 32 * 1024, skipCRC32: true, provider: { position, size in
                let from = input.startIndex + Int(position)
                guard from < input.endIndex else { throw Failure(description: "\(path): the deflate stream runs past its \(input.count) bytes") }
                return Data(input[from..<min(from + size, input.endIndex)])
            }, consumer: { chunk in
                output.append(chunk)
                guard output.count <= limit else { throw Failure(description: "\(path) unpacks to more than \(limit) bytes") }
            })
            return output
        default:
            throw Failure(description: "\(path) uses compression method \(method); expected stored (0) or deflate (8)")
        }
    }
}
