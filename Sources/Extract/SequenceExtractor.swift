import BiomechCore
import Foundation
import Pose
import Video

/// Turns one video into a landmark sequence's files: `LandmarkExtractor`, then the three files.
///
/// Runs inside a worker process; a crash in libav or MediaPipe ends only that process.
struct SequenceExtractor {
    let files: MediaPipeFiles
    /// Called every few frames with the frames done so far.
    var progress: (Int) -> Void = { _ in }

    /// Extracts `job`; a video that cannot be decoded or shows nobody is an outcome, not a throw.
    /// Throws only when MediaPipe itself cannot run (setup problems, failures of the library).
    func run(_ job: ExtractJob) throws -> ExtractOutcome {
        let started = ProcessInfo.processInfo.systemUptime
        func elapsed() -> Double { ProcessInfo.processInfo.systemUptime - started }
        var extractor = LandmarkExtractor(files: files, settings: job.settings)
        extractor.progress = progress
        extractor.killAfterFrames = job.killAfterFrames
        var cost = ExtractionCost()
        var outcome = try outcome(extractor.extract(path: job.input, threads: job.decoderThreads, cost: &cost), job, elapsed: elapsed)
        outcome.poseSeconds = cost.poseSeconds
        outcome.decodeCPUSeconds = cost.decodeCPUSeconds
        return outcome
    }

    private func outcome(_ result: Result<VideoLandmarks, LandmarkFailure>, _ job: ExtractJob, elapsed: () -> Double) throws -> ExtractOutcome {
        let landmarks: VideoLandmarks
        switch result {
        case .success(let done): landmarks = done
        case .failure(.decode(let reason, let frames)):
            return .failed(.decodeError, reason, frames: frames, seconds: elapsed())
        case .failure(.noPerson(let frames, let fps)):
            var outcome = ExtractOutcome.failed(.noPerson, LandmarkFailure.noPerson(frames: frames, fps: fps).reason,
                                                frames: frames, seconds: elapsed())
            outcome.fps = fps
            outcome.detectedFraction = 0
            return outcome
        }
        let sequence = landmarks.sequence, info = landmarks.info, source = job.source
        let metadata = ExtractedMetadata(
            id: URL(fileURLWithPath: job.output).deletingPathExtension().lastPathComponent, source: source.dataset, fps: info.fps,
            frames: sequence.frames, exercise: source.exercise, quality: source.quality,
            video: .init(dataset: source.dataset, path: source.path, sha256: source.sha256, split: source.split, codec: info.codec,
                         decoder: info.decoder, sourceWidth: info.sourceWidth, sourceHeight: info.sourceHeight, rotation: info.rotation,
                         sourceFPS: info.sourceFPS, width: info.width, height: info.height),
            times: sequence.times, detectedFraction: sequence.detectedFraction, detectedFrames: sequence.detectedFrames,
            meanVisibility: sequence.meanVisibility, backend: job.backend, settings: job.settings,
            settingsSHA256: job.settingsSHA256, extractor: "biomech-extract \(BiomechVersion.string)", decodeErrors: landmarks.decodeErrors)
        try sequence.write(to: URL(fileURLWithPath: job.output), metadata: metadata)
        let skipped = landmarks.decodeErrors
        return ExtractOutcome(status: .ok, message: skipped > 0 ? "\(skipped) corrupt packets or frames skipped" : nil,
                              frames: sequence.frames, fps: info.fps, detectedFraction: sequence.detectedFraction,
                              meanVisibility: sequence.meanVisibility, seconds: elapsed(), poseSeconds: 0)
    }
}
