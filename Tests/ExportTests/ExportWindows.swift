import Extract
import Foundation
import Pose
import Synth
import TestSupport
import Windowing

/// Windows for the parity tests, cut by windowing's own code: the model's input (normalized) and
/// the landmarks it came from (for the graph that normalizes).
struct ExportWindows {
    var normalized: [Float] = [], raw: [Float] = []
    var count = 0
    static let frames = 60

    /// Appends every window of a sequence of world landmarks [T, 33, 3] (NaN rows for missed frames), up to `limit`.
    mutating func add(world: [Float], image: [Float], fps: Double, limit: Int) {
        let t = world.count / 99
        let sequence = LoadedSequence(input: SequenceInput(id: "export", number: 0, split: .test, file: URL(fileURLWithPath: "/")), frames: t,
                                      fps: fps, image: image, world: world, times: (0..<t).map { Double($0) / fps }, aspect: 1,
                                      labels: SequenceLabels())
        let settings = CutSettings(window: Self.frames, stride: 30)
        let filled = Windower.fillGaps(world, frames: t, maxGap: settings.thresholds.maxGap).points
        for window in WindowCutter.cut(sequence, settings, labelled: false).windows.prefix(limit) {
            let start = Int(window.record.start) * 99
            normalized += window.record.x
            raw += filled[start..<(start + Self.frames * 99)]
            count += 1
        }
    }

    /// Windows of the real person in the Sports2D demo video (jumping jacks), through extraction's MediaPipe path.
    mutating func addDemoVideo(limit: Int) throws {
        try MediaPipeFixture.requireDemoVideo()
        var cost = ExtractionCost()
        let result = try LandmarkExtractor(files: MediaPipeFiles(folder: MediaPipeFixture.folder), settings: ExtractSettings())
            .extract(path: MediaPipeFixture.demoVideo.path, cost: &cost)
        guard case .success(let landmarks) = result else { throw FixtureError("demo video: \(result)") }
        let before = count
        add(world: landmarks.sequence.world, image: landmarks.sequence.image, fps: landmarks.info.fps, limit: limit)
        guard count > before else { throw FixtureError("the demo video gave no window") }
    }

    /// Windows of synthetic sequences `indices` (seed 42): every exercise and quality of the generator.
    mutating func addSynthetic(_ indices: [Int], perSequence: Int) {
        for index in indices {
            let s = SequenceGenerator.generate(index: index, options: SynthOptions())
            add(world: s.world, image: s.image, fps: s.metadata.fps, limit: perSequence)
        }
    }
}
