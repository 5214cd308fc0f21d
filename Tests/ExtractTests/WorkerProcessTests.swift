import Foundation
import Testing
import TestSupport

/// The hidden worker mode on its own: its messages, its network namespace, its end.
@Suite struct WorkerProcessTests {
    @Test func aWorkerIsOffTheNetworkAndStopsWhenAsked() throws {
        let worker = Process()
        worker.executableURL = URL(fileURLWithPath: Tools.product("biomech-extract"))
        worker.arguments = ["worker", "--parent", "\(getpid())"]
        worker.currentDirectoryURL = MediaPipeFixture.root
        let input = Pipe(), output = Pipe()
        worker.standardInput = input
        worker.standardOutput = output
        worker.standardError = FileHandle.nullDevice
        try worker.run()
        // The first line says it is ready and whether the network could be cut off (null: it was).
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        let hello = try #require(JSONSerialization.jsonObject(with: line) as? [String: Any], "\(String(decoding: line, as: UTF8.self))")
        let ready = try #require(hello["ready"] as? [String: Any])
        #expect(ready["networkNotIsolated"] == nil, "\(ready)")
        let mine = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        let its = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(worker.processIdentifier)/ns/net")
        #expect(mine != its, "the worker has a network namespace of its own")
        // Only a down loopback: no interface could reach Google's telemetry host.
        let devices = try String(contentsOfFile: "/proc/\(worker.processIdentifier)/net/dev", encoding: .utf8)
        #expect(devices.split(separator: "\n").dropFirst(2).map { $0.split(separator: ":")[0].trimmingCharacters(in: .whitespaces) } == ["lo"])

        try input.fileHandleForWriting.write(contentsOf: Data("{\"stop\":{}}\n".utf8))
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
    }
}
