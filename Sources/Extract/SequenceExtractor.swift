import BiomechCore
import Foundation
import Pose
import Video

/// Turns one video into a landmark sequence: decode, find the pose on every kept frame, write.
///
/// Runs inside a worker process; a crash in libav or MediaPipe ends only that process.
struct SequenceExtractor {
    let files: MediaPipeFiles
    /// Called every few frames with the frames done so far.
    var progress: (Int) -> Void = { _ in }

    /// Extracts `job`; a video that cannot be decoded or shows nobody is an outcome, not a throw.
    /// Throws only when MediaPipe itself cannot run (setup problems, failures of the library).
    func run(_ job: ExtractJob) throws -> ExtractOutcome {
        var decodeCPU = 0.0
        var outcome = try run(job, decodeCPU: &decodeCPU)
        outcome.decodeCPUSeconds = decodeCPU
        return outcome
    }

    private func run(_ job: ExtractJob, decodeCPU: inout Double) throws -> ExtractOutcome {
        let started = ProcessInfo.processInfo.systemUptime
        func elapsed() -> Double { ProcessInfo.processInfo.systemUptime - started }
        let decoder: VideoDecoder
        do {
            decoder = try VideoDecoder(path: job.input, settings: job.settings.decode(threads: job.decoderThreads))
        } catch {
            return .failed(.decodeError, error.reason, seconds: elapsed())
        }
        // Decoding starts now, on its own thread, while the landmarker loads (creating it counts as pose time).
        let frames = FramePrefetcher(decoder)
        defer {
            frames.close()
            decodeCPU = frames.cpuSeconds
        }
        var poseSeconds = 0.0
        func timed<T>(_ body: () throws -> T) rethrows -> T {
            let before = ProcessInfo.processInfo.systemUptime
            defer { poseSeconds += ProcessInfo.processInfo.systemUptime - before }
            return try body()
        }
        let estimator = try timed {
            try MediaPipePose(files: files, mode: job.settings.mode, minimumConfidence: job.settings.minimumConfidence)
        }
        var sequence = ExtractedSequence()
        sequence.reserve(frames: 1024)
        var lastTimestamp: Int64 = -1
        decoding: while true {
            let frame: DecodedFrame
            switch frames.next() {
            case .frame(let decoded): frame = decoded
            case .end: break decoding
            case .failure(let error):
                return .failed(.decodeError, error.reason, frames: sequence.frames, seconds: elapsed(), poseSeconds: poseSeconds)
            }
            // Video mode needs strictly increasing milliseconds; two frames within one ms share none.
            let timestamp = max(Int64((frame.time * 1000).rounded()), lastTimestamp + 1)
            lastTimestamp = timestamp
            let pose = try timed {
                try estimator.detect(RGBFrame(width: frame.width, height: frame.height, pixels: frame.rgb), timestampMilliseconds: timestamp)
            }
            sequence.append(time: frame.time, pose: pose)
            if sequence.frames == job.killAfterFrames { kill(getpid(), SIGKILL) }
            if sequence.frames % 16 == 0 { progress(sequence.frames) }
        }
        frames.close()
        if let failure = decoder.readFailure {
            return .failed(.decodeError, "reading stopped after \(sequence.frames) frames: \(failure); the file looks cut or damaged",
                           frames: sequence.frames, seconds: elapsed(), poseSeconds: poseSeconds)
        }
        let info = decoder.info
        guard sequence.detectedFrames > 0 else {
            var outcome = ExtractOutcome.failed(.noPerson, "no person found on any of \(sequence.frames) frames",
                                                frames: sequence.frames, seconds: elapsed(), poseSeconds: poseSeconds)
            outcome.fps = info.fps
            outcome.detectedFraction = 0
            return outcome
        }
        let source = job.source
        let metadata = ExtractedMetadata(
            id: URL(fileURLWithPath: job.output).deletingPathExtension().lastPathComponent, source: source.dataset, fps: info.fps,
            frames: sequence.frames, exercise: source.exercise, quality: source.quality,
            video: .init(dataset: source.dataset, path: source.path, sha256: source.sha256, split: source.split, codec: info.codec,
                         decoder: info.decoder, sourceWidth: info.sourceWidth, sourceHeight: info.sourceHeight, rotation: info.rotation,
                         sourceFPS: info.sourceFPS, width: info.width, height: info.height),
            times: sequence.times, detectedFraction: sequence.detectedFraction, detectedFrames: sequence.detectedFrames,
            meanVisibility: sequence.meanVisibility, backend: job.backend, settings: job.settings,
            settingsSHA256: job.settingsSHA256, extractor: "biomech-extract \(BiomechVersion.string)", decodeErrors: decoder.decodeErrors)
        try sequence.write(to: URL(fileURLWithPath: job.output), metadata: metadata)
        let skipped = decoder.decodeErrors
        return ExtractOutcome(status: .ok, message: skipped > 0 ? "\(skipped) corrupt packets or frames skipped" : nil,
                              frames: sequence.frames, fps: info.fps, detectedFraction: sequence.detectedFraction,
                              meanVisibility: sequence.meanVisibility, seconds: elapsed(), poseSeconds: poseSeconds)
    }
}
