import ArgumentParser
import BiomechCLI
import BiomechCore
import Dispatch
import Extract
import Foundation
import Logging
import Model
import Service

/// `biomech-serve`: the form analyzer as an HTTP service (`POST /analyze-form`); docs/SERVE.md.
@main
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-serve",
        abstract: "Serve the form analyzer over HTTP: POST a video to /analyze-form, get the biomech-analyze report.",
        discussion: """
        Uploads stream to a private temporary folder and go to a bounded queue in front of --workers \
        analysis processes (the same code as biomech-analyze, with the checkpoint kept loaded). \
        Endpoints, errors and limits: docs/SERVE.md, or GET /openapi.json. SIGTERM finishes the \
        running jobs and exits 0.
        """,
        version: BiomechVersion.string)

    static func main() {
        // OpenBLAS starts its threads when it loads unless told to use one; workers inherit the
        // setting, and the kernels the service chose and checked (docs/MODEL.md, "Kernel selection").
        // `biomech-serve worker --parent PID --model M` is a worker process, started by the service. It
        // cuts itself off the network before any thread starts (docs/EXTRACT.md, "Telemetry").
        let arguments = Array(CommandLine.arguments.dropFirst())
        let kernels = BLASKernel.startup(tool: arguments.first == "worker" ? "biomech-serve worker" : "biomech-serve",
                                         alsoSet: ["OPENBLAS_NUM_THREADS": "1"])
        if arguments.first != "worker" { BLASKernel.exportForChildren(kernels) }
        if arguments.first == "worker" {
            if arguments.count >= 3, arguments[1] == "--parent", let parent = Int32(arguments[2]) {
                WorkerCommand.networkNotIsolated = ExtractWorker.prepareProcess(parent: parent)
            }
            CommandMain.run(WorkerCommand.self, arguments: Array(arguments.dropFirst()))
        }
        CommandMain.run(Self.self)
    }

    @Option(help: "A checkpoint of biomech-train fit (e.g. runs/demo/finetune/best.ckpt).")
    var model: String
    @OptionGroup var blas: BLASOptions
    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port, printed when listening).")
    var port = 8080
    @Option(help: "Analysis worker processes; each uses about one core.")
    var workers = 2
    @Option(help: "Largest upload accepted (e.g. 200MB).")
    var maxUpload = ByteSizeArgument(argument: "200MB")!
    @Option(help: "Longest video accepted, in seconds of footage (e.g. 120s).")
    var maxDuration = DurationArgument(argument: "120s")!
    @Option(help: "Jobs that may wait for a worker (uploads in progress count too); more get 503 with Retry-After.")
    var queue = 16
    @Option(help: "A file of API keys, one per line; requests must send one (Authorization: Bearer KEY).")
    var apiKeyFile: String?
    @Option(help: "Time from a request's arrival to its answer: upload, queue and analysis (then 504).")
    var deadline = DurationArgument(argument: "300s")!
    @Option(help: "Time a client may stop sending during an upload (then 408).")
    var uploadIdle = DurationArgument(argument: "15s")!
    @Option(help: "How long a finished job's report, summary and video stay downloadable.")
    var keepResults = DurationArgument(argument: "1h")!
    @Option(help: "Where the private folder for uploads and results goes (default: the temporary folder).")
    var workDir: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ServeOptionsError("--log-level '\(logLevel)': expected trace, debug, info, notice, warning or error")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var options = ServeOptions(model: model, workerCommand: [executable, "worker", "--parent", "\(getpid())"])
        options.host = host
        options.port = port
        options.workers = workers
        options.maxUpload = Int(clamping: maxUpload.bytes)
        options.maxDuration = maxDuration.seconds
        options.queue = queue
        options.apiKeyFile = apiKeyFile
        options.deadline = deadline.seconds
        options.uploadIdle = uploadIdle.seconds
        options.keepResults = keepResults.seconds
        options.workRoot = workDir
        let service = BiomechService(options: options, logger: Logger(label: "biomech-serve"))
        // The service is async; the command line is not: run it on the cooperative pool and wait here.
        let ended = Ended()
        Task {
            do { try await service.run() } catch { ended.failure = error }
            ended.done.signal()
        }
        ended.done.wait()
        if let failure = ended.failure { throw failure }
    }
}

/// How the service's task ended, handed to the waiting main thread (the semaphore orders the access).
private final class Ended: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var failure: (any Error)?
}
