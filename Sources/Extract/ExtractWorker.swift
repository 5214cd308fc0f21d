import BiomechCore
import CLinux
import Foundation
import Pose

/// The worker side: a hidden `biomech-extract worker` process that extracts one video after another.
///
/// The parent sends jobs as JSON lines on standard input; the worker answers on standard output
/// (`WorkerMessage`). Anything the C libraries print goes to standard error, which the parent keeps
/// in a log, so it can never corrupt the messages.
public enum ExtractWorker {
    /// Prepares the worker process; call first in `main`, while the process still has one thread.
    ///
    /// Cuts the process off the network (MediaPipe's usage telemetry has no switch: docs/EXTRACT.md),
    /// asks the kernel to kill it with its parent, and leaves Ctrl-C to the parent. Returns nil, or
    /// why the network could not be cut off. Exits at once when `parent` is already gone.
    public static func prepareProcess(parent: Int32) -> String? {
        let notIsolated = isolateNetwork()
        if biomech_die_with_parent(parent) != 0 { _exit(ExitStatus.failure) }
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        return notIsolated
    }

    /// Moves this process into new user and network namespaces, so MediaPipe's telemetry cannot leave
    /// the machine (docs/EXTRACT.md, "Telemetry"); call while the process has one thread. Returns nil,
    /// or why it could not.
    public static func isolateNetwork() -> String? {
        var reason = [CChar](repeating: 0, count: 256)
        guard biomech_isolate_network(&reason, reason.count) != 0 else { return nil }
        return reason.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Serves jobs until the parent says stop or goes away; returns the exit code.
    public static func serve(files: MediaPipeFiles, networkNotIsolated: String?) -> Int32 {
        let channel = MessageChannel.workerSide()
        func fatal(_ message: String, _ code: Int32) -> Int32 {
            channel.send(WorkerMessage.fatal(message: message, exitCode: code))
            return code
        }
        do { try files.check() } catch { return fatal("\(error)", ExitStatus.usage) }
        guard channel.send(WorkerMessage.ready(networkNotIsolated: networkNotIsolated)) else { return ExitStatus.failure }
        while true {
            let message: ParentMessage?
            do { message = try channel.receive(ParentMessage.self) } catch { return fatal("unreadable job: \(error)", ExitStatus.failure) }
            guard case .job(let job) = message else { return ExitStatus.success }
            let extractor = SequenceExtractor(files: files, progress: { channel.send(WorkerMessage.progress(frames: $0)) })
            let outcome: ExtractOutcome
            do {
                outcome = try extractor.run(job)
            } catch let error as MediaPipeError where error.exitCode == ExitStatus.failure {
                // MediaPipe refused this video's frames: the video's failure, not the run's.
                outcome = .failed(.workerCrash, "the pose library failed: \(error)")
            } catch let error as BiomechError {
                return fatal("\(error)", error.exitCode)
            } catch {
                return fatal("\(error)", ExitStatus.failure)
            }
            guard channel.send(WorkerMessage.done(outcome)) else { return ExitStatus.failure }
        }
    }
}
