import Foundation
import NIOCore
import Service
import Testing
import TestSupport

/// The multipart reader on its own: every chunking of a form, non-ASCII where it may and may not be.
struct FormReaderTests {
    /// A form with a text field and a video whose bytes start with 0xFF (right after the blank line) and
    /// hold every byte value, under a UTF-8 file name.
    static let video = Data([0xFF, 0x80, 0x0D, 0x0A, 0x2D, 0x2D]) + Data((0...255).map(UInt8.init)) + Data("\r\n--notquite".utf8)
    static let form = Data("--B0undary\r\nContent-Disposition: form-data; name=\"exercise\"\r\n\r\nsquat\r\n--B0undary\r\n".utf8)
        + Data("Content-Disposition: form-data; name=\"video\"; filename=\"Übung.mp4\"\r\nContent-Type: video/mp4\r\n\r\n".utf8)
        + video + Data("\r\n--B0undary--\r\n".utf8)

    func read(_ body: Data, chunk: Int, boundary: String = "B0undary") throws -> (Upload, Data) {
        let folder = try TemporaryFolder("biomech-form")
        var reader = try FormReader(boundary: boundary, folder: folder.url, maxBytes: 1 << 20)
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + chunk)
            try reader.consume(ByteBuffer(bytes: body[offset..<end]))
            offset = end
        }
        let upload = try reader.finish()
        return (upload, try Data(contentsOf: upload.file))
    }

    @Test(arguments: [1, 2, 3, 5, 7, 13, 64, 100_000])
    func everyChunkingGivesTheSameUpload(chunk: Int) throws {
        let (upload, bytes) = try read(Self.form, chunk: chunk)
        #expect(bytes == Self.video)
        #expect(upload.name == "Übung.mp4" && upload.fields == ["exercise": "squat"])
    }

    @Test(arguments: [1, 4, 100_000])
    func aNonASCIIByteInAHeaderNameIsRefusedNotATrap(chunk: Int) throws {
        // MultipartKit 4.7.1 indexes a 128-entry table with header-name bytes: 0xFF there stopped the process.
        let first = Data("--B0undary\r\nContent-\u{FF}Disposition: form-data; name=\"video\"\r\n\r\nxx\r\n--B0undary--\r\n".utf8)
        let later = Data("--B0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxx\r\n--B0undary\r\nX\u{80}: 1\r\n\r\n".utf8)
        for body in [first, later] {
            #expect(throws: ServiceError.self) { _ = try read(body, chunk: chunk) }
            do { _ = try read(body, chunk: chunk) } catch let error as ServiceError {
                #expect(error.code == "malformed_multipart" && error.message.contains("header name"), "\(error.message)")
            }
        }
    }

    @Test func theFuzzersFindingIsRefused() throws {
        let finding = Data(base64Encoded: "Ay0tZnV6eg0KQ29udGVudC3///////////////////////////////9EaXNwb3NpdGlvbjogZm0tZGF0YTsgbmFtZT0idmlkZW8iOyBmaWxlbmFtZT0ic2V0Lm1wNCINCkNvbnRlbnQtVHlwZTogdmlkZW8vbXA0DQoNCgAAABhmdHlwbXA0Mnl0ZXMNCm9ybS1k/wRhdGE7IG5hbWU9ImZpbGUiOyBmaWxlbmFtZT0iYS5tcDQiDQoNCnh4DQotLWZ1enotLQ0K")!
        #expect(throws: ServiceError.self) { _ = try read(Data(finding.dropFirst()), chunk: 4, boundary: "fuzz") }
    }
}
