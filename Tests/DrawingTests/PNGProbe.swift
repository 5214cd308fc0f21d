import Foundation
import TestSupport

/// Reads PNG files back for assertions: the header in Swift, pixels with a small pure-Python decoder
/// (python3 here has zlib but no PIL, and tests cannot reach cairo).
enum PNGProbe {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The width and height from the IHDR chunk, which the PNG format requires to come first.
    static func size(of url: URL) throws -> (width: Int, height: Int) {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw FixtureError("\(url.path) is not a PNG file")
        }
        func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    /// What a pixel (or, for "dark" and "red", some pixel of its 3x3 neighbourhood) must look like.
    enum Expectation: String { case white, dark, red }

    /// Decodes the PNG and throws, naming the pixel and its value, when one expectation fails.
    static func expect(_ url: URL, _ checks: [(Expectation, x: Double, y: Double)]) throws {
        let arguments = checks.map { "\($0.0.rawValue):\(Int($0.x)):\(Int($0.y))" }
        try Tools.python(decoder, [url.path] + arguments)
    }

    private static let decoder = #"""
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, header = 8, b'', None
while pos < len(data):
    length, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b'IHDR': header = struct.unpack('>IIBBBBB', body)
    if kind == b'IDAT': idat += body
    pos += 12 + length
width, height, depth, color, _, _, interlace = header
assert depth == 8 and color in (2, 6) and interlace == 0, 'unsupported PNG %r' % (header,)
channels = 3 if color == 2 else 4
stride = width * channels
raw = zlib.decompress(idat)
rows, previous = [], bytearray(stride)
for y in range(height):
    start = y * (stride + 1)
    kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
    for i in range(stride):
        left = line[i - channels] if i >= channels else 0
        up = previous[i]
        upleft = previous[i - channels] if i >= channels else 0
        if kind == 1: line[i] = (line[i] + left) & 255
        elif kind == 2: line[i] = (line[i] + up) & 255
        elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - upleft
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upleft)) & 255
        else: assert kind == 0, 'bad filter %d' % kind
    rows.append(line)
    previous = line
def pixel(x, y):
    return tuple(rows[y][x * channels:x * channels + 3])
def around(x, y):
    return [pixel(i, j) for j in range(max(0, y - 1), min(height, y + 2)) for i in range(max(0, x - 1), min(width, x + 2))]
for check in sys.argv[2:]:
    kind, x, y = check.split(':')
    x, y = int(x), int(y)
    if kind == 'white':
        assert pixel(x, y) == (255, 255, 255), 'pixel (%d, %d) is %r, not white' % (x, y, pixel(x, y))
    elif kind == 'dark':
        assert any(max(p) < 110 for p in around(x, y)), 'no dark pixel around (%d, %d): %r' % (x, y, around(x, y))
    elif kind == 'red':
        assert any(p[0] > 180 and p[1] < 90 and p[2] < 90 for p in around(x, y)), 'no red pixel around (%d, %d): %r' % (x, y, around(x, y))
"""#
}
