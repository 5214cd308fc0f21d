import ArgumentParser
import Foundation
import Model

/// Writes a freshly initialised checkpoint (PyTorch's default initialisation).
struct InitCheckpoint: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a freshly initialised checkpoint.")
    @Option(help: "Output checkpoint.") var out: String
    @Option(help: "Initialisation seed.") var seed: UInt64 = 0

    func run() throws {
        try Trainer<Float>(config: ModelConfig(), batch: 1, time: 1, seed: seed).checkpoint().write(to: URL(fileURLWithPath: out))
        print("wrote \(out)")
    }
}

/// Imports safetensors weights (e.g. from PyTorch) into a fresh checkpoint of the production dimensions.
struct ImportWeights: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "safetensors -> checkpoint (Adam moments start at zero).")
    @Argument(help: "safetensors file to read.") var weights: String
    @Option(help: "Checkpoint to write.") var out: String

    func run() throws {
        let config = ModelConfig()
        let params = try SafeTensors.read(URL(fileURLWithPath: weights), table: ParameterTable(config))
        let zeros = [Float](repeating: 0, count: params.count)
        try Checkpoint(config: config, classNames: ModelConfig.classNames, step: 0,
                       rngState: 0, params: params, m: zeros, v: zeros).write(to: URL(fileURLWithPath: out))
        print("wrote \(out)")
    }
}
