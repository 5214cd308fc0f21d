import ArgumentParser
import BiomechCore
import Service

/// A worker process: `biomech-serve` starts these and talks to them over pipes (docs/SERVE.md).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "biomech-serve worker", abstract: "Internal: one analysis worker.")
    /// Set by `main` before any thread starts.
    nonisolated(unsafe) static var networkNotIsolated: String? = "the worker was not started by biomech-serve"

    @Option(help: "The parent's process id; the worker dies with it.")
    var parent: Int32
    @Option(help: "The checkpoint to analyse with.")
    var model: String

    func run() throws {
        let code = ServeWorker.serve(model: model, files: .located(), networkNotIsolated: Self.networkNotIsolated)
        if code != ExitStatus.success { throw ExitCode(code) }
    }
}
