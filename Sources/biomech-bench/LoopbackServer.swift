import Foundation

/// Python's standard `http.server` on 127.0.0.1 serving a folder: the benchmark's download source.
///
/// Both sides of the download benchmark (curl and biomech-fetch) read from the same server, so its
/// speed cancels out of the ratio. An installed `biomech-bench` needs only `python3`, not a checkout.
final class LoopbackServer {
    let port: Int
    private let process = Process()

    /// Starts the server on a free port and waits for its "Serving HTTP on ... port N" line.
    init(serving folder: URL) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let words = text.split(separator: " ")
        guard let index = words.firstIndex(of: "port"), index + 1 < words.count, let port = Int(words[index + 1]) else {
            process.terminate()
            throw BenchError("python3 -m http.server did not start (it printed '\(text)')")
        }
        self.port = port
    }

    /// The URL of `path` under the served folder.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

/// A benchmark that could not run (a missing tool, a failed command).
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
