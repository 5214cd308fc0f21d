import BiomechCore
import Foundation
import Model
import Windowing

/// A checkpoint made ready for analysis: its model, and the windows it was trained on.
public struct AnalysisModel {
    public let path: String
    public let sha256: String
    public let step: Int
    public let window: Int
    public let coords: WindowOptions.Coordinates
    public let model: InferenceModel

    /// Reads and checks `path`: its format version, its class names against this biomech's, its coordinates.
    public init(path: String, threads: Int) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw AnalysisError.usage("\(path): no such checkpoint (--model)") }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.read(from: URL(fileURLWithPath: path)) } catch { throw AnalysisError.usage("--model \(error)") }
        let names = checkpoint.header.classNames
        guard names == ModelConfig.classNames else {
            throw AnalysisError.usage("\(path): classes \(names); this biomech-analyze knows \(ModelConfig.classNames): retrain, or use the biomech that made it")
        }
        let coordsName = checkpoint.header.coords ?? "world"
        guard let coords = WindowOptions.Coordinates(rawValue: coordsName) else {
            throw AnalysisError.usage("\(path): key 'coords': '\(coordsName)'; expected world or image")
        }
        self.path = path
        do { sha256 = try FileDigest.sha256(ofFile: path).hex } catch { throw AnalysisError.usage("\(path): cannot read: \(error)") }
        step = checkpoint.header.step
        window = checkpoint.header.window ?? 60
        self.coords = coords
        BLASThreads.set(1)
        do { model = try InferenceModel(checkpoint: checkpoint, threads: threads) } catch { throw AnalysisError.usage("\(path): \(error)") }
    }
}
