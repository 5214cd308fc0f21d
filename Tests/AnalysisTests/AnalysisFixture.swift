import Analysis
import Biomechanics
import Extract
import Pose
import Foundation
import Model
import Synth
import TestSupport
import XCTest

/// Checkpoints and sequences for the analysis tests: real files, made here.
enum AnalysisFixture {
    /// The first synthetic sequence (seed 42, 300 frames at 30 fps) whose plan and faults satisfy
    /// `accept`, written into `folder`; returns its `.npy` and metadata.
    static func synthetic(in folder: TemporaryFolder, frames: Int = 300,
                          _ accept: (SequenceMetadata) -> Bool) throws -> (URL, SequenceMetadata) {
        var options = SynthOptions()
        options.frames = frames
        for index in 0..<400 {
            let (exercise, _) = SequenceGenerator.plan(index)
            _ = exercise
            let sequence = SequenceGenerator.generate(index: index, options: options)
            guard accept(sequence.metadata) else { continue }
            try SynthWriter.write(sequence, to: folder.url)
            return (folder(sequence.id + ".npy"), sequence.metadata)
        }
        throw FixtureError("no synthetic sequence among the first 400 matches")
    }
}

/// One decoded RGB24 frame, for pixel checks.
struct RawFrame {
    var width: Int, height: Int, bytes: [UInt8]
    func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
        let i = (y * width + x) * 3
        return (Int(bytes[i]), Int(bytes[i + 1]), Int(bytes[i + 2]))
    }
}

extension AnalysisFixture {
    /// Frame `index` (0-based, presentation order) of `video`, decoded by the ffmpeg CLI.
    static func frame(_ index: Int, of video: URL, in folder: TemporaryFolder) throws -> RawFrame {
        let out = folder("frame-\(UUID().uuidString).rgb")
        let probe = try Tools.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", video.path])
        let size = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        guard size.count == 2 else { throw FixtureError("ffprobe \(video.path): \(probe.all)") }
        let result = try Tools.run("ffmpeg", ["-v", "error", "-y", "-i", video.path, "-vf", "select=eq(n\\,\(index))", "-fps_mode", "passthrough",
                                              "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", out.path])
        guard result.status == 0 else { throw FixtureError("ffmpeg frame \(index) of \(video.path): \(result.all)") }
        return RawFrame(width: size[0], height: size[1], bytes: [UInt8](try Data(contentsOf: out)))
    }

    /// The demo video's image landmarks per analysed frame (x, y in 0-1), through extraction's own path.
    static func demoLandmarks(in folder: TemporaryFolder) throws -> [[(Float, Float)]] {
        var cost = ExtractionCost()
        let result = try LandmarkExtractor(files: MediaPipeFiles(folder: MediaPipeFixture.folder), settings: Analyzer.extractSettings)
            .extract(path: MediaPipeFixture.demoVideo.path, cost: &cost)
        guard case .success(let landmarks) = result else { throw FixtureError("demo video: \(result)") }
        let s = landmarks.sequence
        return (0..<s.frames).map { t in (0..<33).map { l in (s.image[(t * 33 + l) * 4], s.image[(t * 33 + l) * 4 + 1]) } }
    }
}
