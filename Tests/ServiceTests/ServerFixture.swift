import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

/// A real `biomech-serve` process on 127.0.0.1 (any free port), with its own work folder and log.
final class ServerFixture: @unchecked Sendable {
    let folder: TemporaryFolder
    let process: Process
    let port: Int
    let log: URL
    /// Where `--work-dir` points; the service makes its private folder inside.
    let work: URL
    let client = HTTPClient(eventLoopGroupProvider: .singleton)

    /// Starts the service on a checkpoint of the real model and waits for its "listening" line.
    init(_ arguments: [String] = [], name: String = "serve", environment: [String: String] = [:],
         prepare: (URL) throws -> Void = { _ in }) throws {
        folder = try TemporaryFolder("biomech-\(name)")
        let model = try ModelFixture.checkpoint(in: folder)
        work = folder("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try prepare(work)
        let log = folder("serve.log")
        self.log = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        self.process = process
        process.executableURL = URL(fileURLWithPath: Tools.product("biomech-serve"))
        process.arguments = ["--model", model.path, "--port", "0", "--work-dir", work.path, "--workers", "1",
                             // A busy machine may pause a real client for seconds: only the stalled-client test shortens this.
                             "--upload-idle", "10m"] + arguments
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try process.run()
        var found: Int?
        try FileWatch.wait(in: log.deletingLastPathComponent(), while: process) {
            found = ServerFixture.port(in: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
            return found != nil
        }
        guard let found else {
            throw FixtureError("biomech-serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        port = found
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? client.syncShutdown()
    }

    fileprivate static func port(in log: String) -> Int? {
        guard let range = log.range(of: #"listening on http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else { return nil }
        return Int(log[range].split(separator: ":").last!)
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// An answer: status, headers and the whole body.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw FixtureError("not a JSON object: \(text)") }
            return object
        }
        /// The `error.code` of a JSON error body.
        var errorCode: String? { ((try? json())?["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String { (((try? json())?["error"] as? [String: Any])?["message"] as? String) ?? "" }
    }

    /// Sends a request with AsyncHTTPClient and reads the whole answer.
    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: HTTPClientRequest.Body? = nil,
              record: Bool = true) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = body }
        let response = try await client.execute(request, timeout: .minutes(10))
        let bytes = try await response.body.collect(upTo: 1 << 30)
        let answer = Answer(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
        if record { Recorder.shared.record(method: method.rawValue, path: path, answer: answer) }
        return answer
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> Answer { try await send(.GET, path, headers: headers) }

    /// POSTs `file` as the multipart field `field` (as `curl -F video=@file`), with extra text fields.
    func upload(_ file: URL, to path: String = "/analyze-form", field: String = "video", fields: [(String, String)] = [],
                headers: [(String, String)] = []) async throws -> Answer {
        let boundary = "biomech-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(file.lastPathComponent)\"\r\nContent-Type: video/mp4\r\n\r\n".utf8)
        body += try Data(contentsOf: file)
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return try await send(.POST, path, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")] + headers,
                              body: .bytes(ByteBuffer(bytes: body)))
    }

    /// The service's private folder (inside `work`), nil once it is gone.
    var privateFolder: URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []
        return names.first { $0.hasPrefix("biomech-serve-") }.map { work.appendingPathComponent($0) }
    }

    /// Files left in the private folder besides the workers' logs and finished jobs' outputs: uploads, stray folders.
    func leftovers() -> [String] {
        guard let root = privateFolder, let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        let outputs: Set<String> = ["report.json", "annotated.mp4", "summary.png"]
        var found: [String] = []
        while let item = walker.nextObject() as? String {
            let name = URL(fileURLWithPath: item).lastPathComponent
            if item.hasPrefix("worker-") && item.hasSuffix(".log") || item == "pid" { continue }
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: root.appendingPathComponent(item).path, isDirectory: &isFolder)
            if isFolder.boolValue || outputs.contains(name) { continue }
            found.append(item)
        }
        return found
    }

    /// Job folders in the private folder (finished async jobs keep one for their outputs).
    func jobFolders() -> [String] {
        guard let root = privateFolder else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasSuffix(".log") && $0 != "pid" }
    }

    /// Sends SIGTERM and waits for the exit; returns the status.
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Reads `/healthz` until `condition` holds on it (the service's own counters: an event, not a clock).
    func waitForHealth(_ condition: ([String: Any]) -> Bool) async throws {
        while true {
            let health = try await send(.GET, "/healthz", record: false).json()
            if condition(health) { return }
            await Task.yield()
        }
    }
}
