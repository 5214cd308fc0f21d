import Foundation
import Model

/// Checkpoints for tests that analyse: real files of the real model, made here.
public enum ModelFixture {
    /// A checkpoint of the full model with its initial weights (the report's rules, reps and torques
    /// do not depend on what the model learnt; the tests that need a class force it).
    public static func checkpoint(in folder: TemporaryFolder, name: String = "model.ckpt") throws -> URL {
        let trainer = Trainer<Float>(config: ModelConfig(), batch: 1, time: 60, seed: 7)
        var checkpoint = trainer.checkpoint(rngState: 7)
        checkpoint.header.window = 60
        checkpoint.header.coords = "world"
        let url = folder(name)
        try checkpoint.write(to: url)
        return url
    }
}
