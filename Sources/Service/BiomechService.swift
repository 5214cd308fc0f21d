import Analysis
import BiomechCore
import Foundation
import Hummingbird
import Logging
import Model
import ServiceLifecycle

/// The whole service: checks the options, starts the workers, listens, and shuts down gracefully.
///
/// On SIGTERM or SIGINT it stops accepting connections, lets the requests in flight and every
/// admitted job finish, stops the workers, removes its private folder, and returns.
public struct BiomechService: Sendable {
    public let options: ServeOptions
    let logger: Logger

    public init(options: ServeOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Runs until a shutdown signal; throws `ServeOptionsError` (exit 2) for bad options or a checkpoint the workers refuse.
    public func run() async throws {
        try options.validate()
        let keys = try options.apiKeyFile.map(APIKeys.init(file:))
        let model = try Self.modelFacts(options.model)
        let folder = try Self.makePrivateFolder(under: options.workRoot)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pool = AnalysisPool(slots: options.workers, queueLimit: options.queue,
                                command: options.workerCommand + ["--model", options.model], logFolder: folder)
        do { try pool.start() } catch let error as AnalysisPool.StartError {
            throw error.exitCode == ExitStatus.usage ? ServeOptionsError(error.message) : error
        }
        if let reason = pool.networkNotIsolated {
            logger.warning("MediaPipe's telemetry is not cut off in the workers (\(reason)); see docs/EXTRACT.md")
        }
        let jobs = JobStore(keepSeconds: options.keepResults, maxKept: options.maxKeptJobs)
        let metrics = ServiceMetrics()
        let router = Router()
        router.add(middleware: RequestLogMiddleware(logger: logger, metrics: metrics))
        if let keys { router.add(middleware: APIKeyMiddleware(keys: keys)) }
        ServiceRoutes(options: options, pool: pool, jobs: jobs, metrics: metrics, model: model, folder: folder).add(to: router)
        let workers = PoolService(pool: pool, jobs: jobs, logger: logger)
        let logger = self.logger
        let options = self.options
        var app = Application(
            router: router,
            // Hummingbird's own idle timeout closes the connection silently: keep it well past --upload-idle,
            // so a stalled upload gets the service's 408 first.
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(max(options.uploadIdle * 4, 60))))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "biomech-serve"),
            services: [workers],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                logger.info("listening on http://\(options.host):\(port) with \(options.workers) workers, queue \(options.queue)",
                            metadata: ["port": "\(port)", "model": "\(model.sha256.prefix(12))"])
            },
            logger: logger)
        app.logger = logger
        try await app.runService()  // graceful shutdown on SIGTERM and SIGINT
        logger.info("stopped")
    }

    /// Reads the checkpoint's header for `/version`; a missing or unreadable one stops the service (exit 2).
    static func modelFacts(_ path: String) throws -> ServiceRoutes.ModelFacts {
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.read(from: URL(fileURLWithPath: path)) } catch { throw ServeOptionsError("--model \(error)") }
        let digest: String
        do { digest = try FileDigest.sha256(ofFile: path).hex } catch { throw ServeOptionsError("--model \(path): cannot read: \(error)") }
        return .init(path: path, sha256: digest, step: checkpoint.header.step, window: checkpoint.header.window ?? 60,
                     classes: checkpoint.header.classNames)
    }

    /// A new folder only this user can enter, for uploads, results and worker logs; it holds the service's
    /// pid, so a later start removes the folders of services that were killed before they could.
    static func makePrivateFolder(under root: String?) throws -> URL {
        let parent = root ?? NSTemporaryDirectory()
        removeStaleFolders(in: parent)
        var template = Array((parent + "/biomech-serve-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else {
            throw ServeOptionsError("cannot create a private folder in \(parent): \(String(cString: strerror(errno)))")
        }
        let folder = URL(fileURLWithPath: String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        try? Data("\(getpid())\n".utf8).write(to: folder.appendingPathComponent("pid"))
        return folder
    }

    /// Removes `biomech-serve-*` folders in `parent` whose service is gone (SIGKILL, a crash, a power cut).
    static func removeStaleFolders(in parent: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        for name in names where name.hasPrefix("biomech-serve-") {
            let folder = URL(fileURLWithPath: parent).appendingPathComponent(name)
            guard let text = try? String(contentsOf: folder.appendingPathComponent("pid"), encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: folder) }
        }
    }
}

/// The workers as a service of the group: evicts expired jobs while running, drains the pool on shutdown.
struct PoolService: Service {
    let pool: AnalysisPool
    let jobs: JobStore
    let logger: Logger

    func run() async throws {
        // Wakes every minute to forget expired jobs; graceful shutdown cancels the wait.
        while !Task.isShuttingDownGracefully {
            try? await gracefulShutdownOrSleep(seconds: 60)
            await jobs.evict()
        }
        let left = pool.snapshot
        if left.admitted > 0 { logger.info("shutting down: finishing \(left.running) running and \(left.queued) queued jobs") }
        await pool.shutdown()
        await jobs.removeAll()
    }

    private func gracefulShutdownOrSleep(seconds: Int) async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(seconds)) }
    }
}
