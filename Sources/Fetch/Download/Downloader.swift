import BiomechCore
import Crypto
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// What to download, from where, and what it must hash to.
public struct DownloadRequest: Sendable {
    /// URLs tried in order: the primary, then mirrors.
    public var sources: [String]
    /// The final path; bytes collect in `<destination>.part` until they verify.
    public var destination: URL
    public var sha256: String?
    public var size: Int64?

    public init(sources: [String], destination: URL, sha256: String?, size: Int64? = nil) {
        self.sources = sources
        self.destination = destination
        self.sha256 = sha256
        self.size = size
    }

    public var partURL: URL { destination.appendingPathExtension("part") }
}

/// What a finished download did, as recorded in the receipt.
public struct DownloadReport: Codable, Sendable, Equatable {
    public var url: String
    public var sha256: String
    public var bytes: Int64
    /// Bytes received over the network in this run (less than `bytes` after a resume).
    public var bytesTransferred: Int64
    /// Size of the `.part` file this run started from.
    public var resumedFrom: Int64
    public var attempts: Int

    enum CodingKeys: String, CodingKey {
        case url, sha256, bytes, attempts
        case bytesTransferred = "bytes_transferred"
        case resumedFrom = "resumed_from"
    }
}

/// A download that failed on every source; the message says why for each.
public struct DownloadError: BiomechError {
    public var file: String
    public var reasons: [String]
    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String { "\(file): download failed: " + reasons.joined(separator: "; ") }
}

/// Downloads one file with resume, retries, mirrors and an on-the-fly SHA-256.
///
/// The policy (docs/FETCH.md): an interrupted transfer resumes from the `.part` file with a Range
/// request; a server that ignores Range restarts the file cleanly; connection faults, stalls, 5xx
/// and 429 are retried with exponential backoff and jitter (honouring `Retry-After`), other 4xx
/// move on to the next mirror; the final name appears only after size and checksum match.
public final class Downloader: Sendable {
    let settings: DownloadSettings
    let console: Console
    let logger: Logger

    public init(settings: DownloadSettings, console: Console, logger: Logger) {
        self.settings = settings
        self.console = console
        self.logger = logger
    }

    /// One attempt's result and what to do next.
    enum Step {
        case complete(sha256: SHA256, bytes: Int64)
        case retry(String, after: Double?, progressed: Bool)
        case restart(String)
        case giveUp(String)
    }

    /// Downloads `request`, returning once the verified file is at its destination.
    public func download(_ request: DownloadRequest, label: String) throws -> DownloadReport {
        let part = request.partURL
        try FileManager.default.createDirectory(at: request.destination.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let resumedFrom = (try? FileManager.default.attributesOfItem(atPath: part.path)[.size] as? Int64) ?? 0
        let task = console.startTask(label, total: request.size)
        defer { task.finish() }
        task.setBaseline(resumedFrom)
        if resumedFrom > 0 {
            logger.info("\(label): resuming from \(Format.bytes(resumedFrom)) already in \(part.lastPathComponent)")
        }
        var transferred: Int64 = 0
        var attempts = 0
        var reasons: [String] = []
        var cached: (bytes: Int64, hasher: SHA256)?   // hash state of the .part prefix, kept across attempts
        let started = Date()

        for source in request.sources {
            var failures = 0, progressedRetries = 0
            if source != request.sources[0] { logger.info("\(label): trying mirror \(source)") }
            else if !console.isTerminal { logger.info("\(label): downloading \(source)") }
            attemptLoop: while true {
                attempts += 1
                let step = attempt(source, part: part, expectedSize: request.size, cached: &cached,
                                   transferred: &transferred, task: task)
                var delay: Double
                switch step {
                case let .complete(hasher, bytes):
                    let actual = FileDigest.hex(hasher.finalize())
                    let problem = verify(actual: actual, bytes: bytes, request: request)
                    if let problem {
                        unlink(part.path)
                        cached = nil
                        failures += 1
                        guard failures <= settings.retries else { reasons.append("\(source): \(problem)"); break attemptLoop }
                        delay = settings.backoff(failures: failures)
                        logger.warning("\(label): \(problem); deleted the .part, retry \(failures)/\(settings.retries) in \(String(format: "%.1f", delay)) s")
                    } else {
                        try finish(part: part, destination: request.destination)
                        let seconds = Date().timeIntervalSince(started)
                        let rate = seconds > 0 ? Format.bytes(Int64(Double(transferred) / seconds)) + "/s" : ""
                        logger.info("\(label): done, \(Format.bytes(bytes)) (\(Format.bytes(transferred)) transferred in \(String(format: "%.1f", seconds)) s, \(rate)), sha256 \(request.sha256 == nil ? "computed" : "verified")")
                        return DownloadReport(url: source, sha256: actual, bytes: bytes, bytesTransferred: transferred,
                                              resumedFrom: resumedFrom, attempts: attempts)
                    }
                case let .retry(reason, after, progressed):
                    if progressed && progressedRetries < settings.progressedRetryBudget {
                        progressedRetries += 1
                        delay = min(settings.retryDelay, 1) * Double.random(in: 0.5...1.0)
                    } else {
                        failures += 1
                        guard failures <= settings.retries else { reasons.append("\(source): \(reason)"); break attemptLoop }
                        delay = settings.backoff(failures: failures)
                    }
                    if let after {
                        guard after <= settings.maxRetryAfter else {
                            reasons.append("\(source): \(reason); server asks to wait \(String(format: "%.0f", after)) s, more than --max-retry-after \(String(format: "%.0f", settings.maxRetryAfter))")
                            break attemptLoop
                        }
                        delay = after
                    }
                    logger.warning("\(label): \(reason); retrying in \(String(format: "%.1f", delay)) s (\(failures)/\(settings.retries) failed attempts)")
                case let .restart(reason):
                    unlink(part.path)
                    cached = nil
                    failures += 1
                    guard failures <= settings.retries else { reasons.append("\(source): \(reason)"); break attemptLoop }
                    delay = 0
                    logger.warning("\(label): \(reason); restarting the file from byte 0")
                case let .giveUp(reason):
                    reasons.append("\(source): \(reason)")
                    break attemptLoop
                }
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            }
        }
        throw DownloadError(file: request.destination.lastPathComponent, reasons: reasons)
    }

    /// Compares a completed body with the expected size and checksum; nil when it matches.
    private func verify(actual: String, bytes: Int64, request: DownloadRequest) -> String? {
        if let size = request.size, size != bytes {
            return "size mismatch: expected \(size) bytes, got \(bytes) (sha256 \(actual))"
        }
        if let expected = request.sha256, expected != actual {
            return "checksum mismatch: expected sha256 \(expected), got \(actual)"
        }
        return nil
    }

    /// Flushes the verified `.part` to disk, then gives it its final name.
    ///
    /// A failed flush stops here: the final name promises a durable, verified file, so the bytes
    /// stay in the `.part` (a later run re-verifies and resumes it) and the error is reported.
    func finish(part: URL, destination: URL) throws {
        try Self.flush(part.path)
        try AtomicFile.rename(part, to: destination)
    }

    /// `fsync`s the file at `path`, throwing a `FileError` naming it when it cannot be opened or flushed.
    static func flush(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.posix("open for flushing", path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileError.posix("flush (fsync)", path, errno: errno) }
    }

    /// One GET of `source` appending to `part`, with the decisions of the policy above.
    private func attempt(_ source: String, part: URL, expectedSize: Int64?, cached: inout (bytes: Int64, hasher: SHA256)?,
                         transferred: inout Int64, task: ProgressTask) -> Step {
        let fd = open(part.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .giveUp("cannot open \(part.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = Int64(lseek(fd, 0, SEEK_END))
        var hasher = SHA256()
        if offset > 0 {
            if let cached, cached.bytes == offset {
                hasher = cached.hasher
            } else {
                do { _ = try FileDigest.update(&hasher, withFile: part.path) } catch { return .giveUp("\(error)") }
            }
        }
        var options = CurlTransfer.Options()
        options.userAgent = settings.userAgent
        options.connectTimeout = settings.connectTimeout
        options.stallSeconds = settings.stallSeconds
        options.lowSpeedBytes = settings.lowSpeedBytes
        options.range = offset > 0 ? "\(offset)-" : nil

        var pipeline = PipelinedHasher(continuing: hasher, slotSize: CurlTransfer.bufferSize)
        var decided = false, ignoredRange = false, written: Int64 = 0
        var badRange: String?, writeFailure: String?, errorBody = ""
        var total = expectedSize
        let requestedOffset = offset
        let outcome = CurlTransfer.get(source, options: options) { response, body in
            if !decided {
                decided = true
                if response.status == 206 {
                    let range = parseContentRange(response.contentRange ?? "")
                    guard range.start == requestedOffset else {
                        badRange = "server answered Range \(requestedOffset)- with Content-Range '\(response.contentRange ?? "none")'"
                        return false
                    }
                    total = range.total ?? total
                } else if response.status == 200 {
                    if requestedOffset > 0 {
                        ignoredRange = true
                        ftruncate(fd, 0)
                        lseek(fd, 0, SEEK_SET)
                        offset = 0
                        _ = pipeline.finish()
                        pipeline = PipelinedHasher(continuing: SHA256(), slotSize: CurlTransfer.bufferSize)
                    }
                    total = response.contentLength ?? total
                }
            }
            guard response.status == 200 || response.status == 206 else {
                if errorBody.utf8.count < 300 { errorBody += String(decoding: body.prefix(300), as: UTF8.self) }
                return true
            }
            do {
                try AtomicFile.writeAll(fd: fd, body, path: part.path)
            } catch {
                writeFailure = "\(error)"
                return false
            }
            pipeline.update(body)
            offset += Int64(body.count)
            written += Int64(body.count)
            task.update(done: offset, total: total)
            return true
        }
        hasher = pipeline.finish()
        transferred += written
        cached = (offset, hasher)
        if ignoredRange { logger.warning("\(part.lastPathComponent): server ignored the Range request (HTTP 200); restarted from byte 0") }
        if let writeFailure { return .giveUp(writeFailure) }
        if let badRange { return .restart(badRange) }

        let status = outcome.response.status
        if outcome.curlCode != 0 {
            let reason = outcome.timedOut ? "transfer stalled or timed out (\(outcome.curlMessage))" : outcome.curlMessage
            return outcome.isTransient ? .retry(reason, after: nil, progressed: written > 0) : .giveUp(reason)
        }
        switch status {
        case 200, 206:
            return .complete(sha256: hasher, bytes: offset)
        case 416 where requestedOffset > 0:
            // The .part may already hold the whole file (a crash after the last byte, before the rename).
            if parseContentRange(outcome.response.contentRange ?? "").total == requestedOffset {
                return .complete(sha256: hasher, bytes: offset)
            }
            return .restart("server refused Range \(requestedOffset)- (HTTP 416)")
        case 408, 425, 429, 500...599:
            let after = outcome.response.retryAfter.flatMap { parseRetryAfter($0) }
            return .retry("HTTP \(status)\(Self.summary(errorBody))", after: after, progressed: false)
        default:
            return .giveUp("HTTP \(status)\(Self.summary(errorBody))")
        }
    }

    private static func summary(_ body: String) -> String {
        let line = body.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        return line.isEmpty ? "" : " (\(line.prefix(120)))"
    }
}
