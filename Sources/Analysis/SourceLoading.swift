import BiomechCore
import CatalogStore
import Database
import Datasets
import Extract
import Foundation
import Pose
import Video
import Windowing

/// What the report's provenance knows once the input is read.
struct InputFacts {
    var input: String, kind: String, sha256: String?
    var width: Int?, height: Int?
    var pose: String?

    func filled(model: AnalysisModel, sequence: LoadedSequence, windows: Int, stride: Int) -> Report.Provenance {
        let detected = (0..<sequence.frames).filter { t in !sequence.world[t * 99].isNaN }.count
        let duration = sequence.times.last.map { $0 - (sequence.times.first ?? 0) + 1 / sequence.fps } ?? 0
        return Report.Provenance(
            tool: "biomech-analyze \(BiomechVersion.string)", checkpoint: model.path, checkpointSHA256: model.sha256, checkpointStep: model.step,
            input: input, inputKind: kind, inputSHA256: sha256, framesAnalysed: sequence.frames, detectedFrames: detected,
            detectionRate: round3(sequence.frames > 0 ? Double(detected) / Double(sequence.frames) : 0), fps: sequence.fps,
            durationSeconds: round3(duration), width: width, height: height, windows: windows, windowsDropped: [:],
            window: model.window, stride: stride, coords: model.coords.rawValue, pose: pose)
    }
}

extension LoadedSequence {
    /// An extracted sequence as windowing reads one, labels unknown.
    init(_ s: ExtractedSequence, info: DecodedVideoInfo, name: String) {
        self.init(input: SequenceInput(id: name, number: 0, split: .test, file: URL(fileURLWithPath: name)), frames: s.frames, fps: info.fps,
                  image: s.image, world: s.world, times: s.times, aspect: Double(info.width) / Double(max(1, info.height)), labels: SequenceLabels())
    }
}

extension Analyzer {
    /// The pose backend's label for provenance, e.g. `mediapipe-0.10.35 pose_landmarker_full video`.
    var poseBackend: String? { (try? PoseBackend.identify(files)).map { $0.label(Self.extractSettings.mode) } }

    /// Reads a video (extraction's decoder and pose path) or a landmark sequence into memory.
    func load(_ source: AnalysisSource, shownAs name: String) throws -> (LoadedSequence, InputFacts) {
        switch source {
        case .sequence(let path):
            let input = SequenceInput(id: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, number: 0, split: .test,
                                      file: URL(fileURLWithPath: path))
            let sequence: LoadedSequence
            do { sequence = try SequenceInputs.load(input, vocabulary: try ExerciseVocabulary.builtIn()) } catch let error as SequenceError {
                throw AnalysisError.failure("\(error)")
            }
            let facts = InputFacts(input: name, kind: "sequence", sha256: try FileDigest.sha256(ofFile: path).hex)
            return (sequence, facts)
        case .video(let path):
            let extractor = LandmarkExtractor(files: files, settings: Self.extractSettings)
            var progressing = extractor
            let task = console.startTask("pose", total: Optional<Int64>.none, unit: .items("frames"))
            progressing.progress = { task.update(done: Int64($0)) }
            var cost = ExtractionCost()
            let result: Result<VideoLandmarks, LandmarkFailure>
            do { result = try progressing.extract(path: path, threads: 0, cost: &cost) } catch let error as BiomechError {
                task.finish()
                throw error
            }
            task.finish()
            let landmarks: VideoLandmarks
            switch result {
            case .success(let done): landmarks = done
            case .failure(.noPerson(let frames, _)): throw AnalysisError.failure("\(name): no person found on any of \(frames) frames", cause: .noPerson, frames: frames)
            case .failure(.decode(let reason, let frames)):
                throw AnalysisError.failure("\(name): cannot be decoded: \(reason)", cause: frames == 0 ? .undecodable : .damaged,
                                            frames: frames)
            }
            let info = landmarks.info
            let sequence = LoadedSequence(landmarks.sequence, info: info, name: name)
            let facts = InputFacts(input: name, kind: options.source == "-" ? "stdin" : "video", sha256: try FileDigest.sha256(ofFile: path).hex,
                                   width: info.width, height: info.height, pose: poseBackend)
            return (sequence, facts)
        case .standardInput, .device:
            throw AnalysisError.usage("internal: a live source reached the file path")
        }
    }

    /// Copies standard input to a private temporary file, so a finite stream can be read twice
    /// (landmarks, then the annotated video); the caller deletes it.
    static func spoolStandardInput() throws -> URL {
        var template = Array((NSTemporaryDirectory() + "/biomech-analyze-stdin-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw AnalysisError.failure("cannot create a temporary file for standard input: \(String(cString: strerror(errno)))") }
        let url = URL(fileURLWithPath: String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = read(STDIN_FILENO, &buffer, buffer.count)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                try? FileManager.default.removeItem(at: url)
                throw AnalysisError.failure("reading standard input failed: \(String(cString: strerror(errno)))")
            }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + written, n - written) }
                if w < 0 {
                    try? FileManager.default.removeItem(at: url)
                    throw AnalysisError.failure("spooling standard input failed: \(String(cString: strerror(errno)))")
                }
                written += w
            }
        }
        return url
    }
}
