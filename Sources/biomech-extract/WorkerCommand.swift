import ArgumentParser
import BiomechCore
import Extract
import Pose

/// A worker process: `biomech-extract` starts these and talks to them over pipes (Sources/Extract/README.md).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "biomech-extract worker", abstract: "Internal: one extraction worker.")
    /// Set by `main` before any thread starts.
    nonisolated(unsafe) static var networkNotIsolated: String? = "the worker was not started by biomech-extract"

    @Option(help: "The parent's process id; the worker dies with it.")
    var parent: Int32

    func run() throws {
        let code = ExtractWorker.serve(files: .located(), networkNotIsolated: Self.networkNotIsolated)
        if code != ExitStatus.success { throw ExitCode(code) }
    }
}
