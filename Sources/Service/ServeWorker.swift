import Analysis
import BiomechCore
import Extract
import Foundation
import Pose
import Video

/// The worker side: a hidden `biomech-serve worker` process that analyses one upload after another.
///
/// It runs in its own network namespace (MediaPipe's telemetry, docs/EXTRACT.md), dies with the
/// service, and keeps the checkpoint loaded between videos. A video that crashes libav or MediaPipe
/// takes this process down, never the service; the service starts another.
public enum ServeWorker {
    /// Serves requests until the service says stop or goes away; returns the exit code.
    public static func serve(model path: String, files: MediaPipeFiles, networkNotIsolated: String?) -> Int32 {
        let channel = MessageChannel.workerSide()
        func fatal(_ message: String, _ code: Int32) -> Int32 {
            channel.send(ServeWorkerMessage.fatal(message: message, exitCode: code))
            return code
        }
        let model: AnalysisModel
        do {
            try files.check()
            model = try AnalysisModel(path: path, threads: 1)
        } catch let error as BiomechError { return fatal("\(error)", error.exitCode) } catch { return fatal("\(error)", ExitStatus.failure) }
        guard channel.send(ServeWorkerMessage.ready(networkNotIsolated: networkNotIsolated)) else { return ExitStatus.failure }
        while true {
            let message: ServeParentMessage?
            do { message = try channel.receive(ServeParentMessage.self) } catch { return fatal("unreadable request: \(error)", ExitStatus.failure) }
            guard case .analyse(let request) = message else { return ExitStatus.success }
            let start = ProcessInfo.processInfo.systemUptime
            var outcome = analyse(request, model: model, files: files)
            outcome.seconds = ProcessInfo.processInfo.systemUptime - start
            guard channel.send(ServeWorkerMessage.done(outcome)) else { return ExitStatus.failure }
        }
    }

    /// Fault injection for the tests, after the probe: `BIOMECH_SERVE_WORKER_FAULT=hang` blocks the worker
    /// (to reach a deadline on any machine), `crash` kills it (SIGKILL, as the kernel's OOM killer would). Set on the service, it reaches every worker.
    static func injectFault() {
        switch ProcessInfo.processInfo.environment["BIOMECH_SERVE_WORKER_FAULT"] {
        case "hang": while true { pause() }
        case "crash": kill(getpid(), SIGKILL)
        default: break
        }
    }

    /// One request: probe, then the same `Analyzer` as `biomech-analyze`, writing into the job's folder.
    static func analyse(_ request: AnalysisRequest, model: AnalysisModel, files: MediaPipeFiles) -> AnalysisOutcome {
        let info: VideoInfo
        do { info = try VideoProbe.probe(path: request.video) } catch {
            return .failed(.notVideo("\(request.name): \(error.reason); send a video file (MP4, MOV, WebM, MKV)"))
        }
        guard info.durationSeconds <= request.maxDuration else {
            return .failed(.tooLarge("\(request.name): " + String(format: "the video lasts %.1f s; this service analyses at most %g s (--max-duration): send a shorter clip",
                                                                 info.durationSeconds, request.maxDuration)))
        }
        injectFault()
        let folder = URL(fileURLWithPath: request.folder)
        var options = AnalyzeOptions(model: model.path, source: request.video)
        options.exercise = request.exercise
        options.bodyMass = request.bodyMass
        options.load = request.load
        if request.annotated { options.output = folder.appendingPathComponent("annotated.mp4").path }
        if request.summary { options.summary = folder.appendingPathComponent("summary.png").path }
        do {
            var report = try Analyzer(options: options, files: files).run(model: model)
            report.provenance.input = request.name
            try JSONOutput.write(report, to: folder.appendingPathComponent("report.json"), pretty: true)
            return .ok(seconds: 0)
        } catch let error as AnalysisError {
            // The analyzer names the file by its private path; the client knows it by its own name.
            let message = error.message.replacingOccurrences(of: request.video, with: request.name)
            // A cut file decodes its first frames, then ends: say so rather than "no person" or "too short".
            if error.cause == .noPerson || error.cause == .tooShort, !info.frameCountCounted, let frames = error.framesDecoded,
               Double(frames) < 0.9 * Double(info.frameCount) {
                return .failed(.unprocessable("damaged_video", "\(request.name): only \(frames) of the \(info.frameCount) frames its container promises "
                                                  + "could be read: the file looks cut short or damaged"))
            }
            switch error.cause {
            case .undecodable: return .failed(.notVideo(message))
            case .damaged: return .failed(.unprocessable("damaged_video", message))
            case .noPerson: return .failed(.unprocessable("no_person", message))
            case .tooShort: return .failed(.unprocessable("too_short", message))
            case .other:
                return .failed(error.exitCode == ExitStatus.usage ? .badRequest("bad_parameter", message) : .internal(message))
            }
        } catch {
            return .failed(.internal("\(error)".replacingOccurrences(of: request.video, with: request.name)))
        }
    }
}
