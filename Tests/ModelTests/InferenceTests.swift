@testable import Model
import BiomechCore
import Testing

/// The forward-only model against the training model's forward pass, and its workspace.
@Suite struct InferenceTests {
    static var config: ModelConfig {
        var c = ModelConfig()
        c.gcnWidths = [8, 8, 8]; c.embed = 16; c.hidden = 8
        return c
    }

    static func input(batch: Int, time: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<batch * time * 99).map { _ in Float(random.signedUnit()) }
    }

    /// The training model's forward outputs at this shape (its own instance, with backward buffers).
    static func trainingForward(params: [Float], x: [Float], batch: Int, time: Int, threads: Int) -> [Float] {
        let model = GNNLSTM<Float>(config: config, batch: batch, time: time, threads: threads)
        params.withUnsafeBufferPointer { p in x.withUnsafeBufferPointer { model.forward(params: p.baseAddress!, x: $0.baseAddress!) } }
        return model.predictions
    }

    /// Trained a few steps at B = 4, T = 6, so the weights are not just the initialisation.
    static func trained() throws -> Trainer<Float> {
        let trainer = Trainer<Float>(config: config, batch: 4, time: 6, seed: 11, threads: 2)
        let labels = Labels(form: [10, 50, 90, .nan], angles: Array(repeating: 100, count: 24), exercise: [0, 1, 2, 3], risk: [5, 50, 95, 20])
        for _ in 0..<3 { try trainer.step(x: input(batch: 4, time: 6, seed: 1), labels: labels) }
        return trainer
    }

    // Bit-equal, not merely close: both run GNNLSTM.forward with the same pool size, so every GEMM
    // sees the same operands in the same chunks. Checked for both pool sizes.
    @Test(arguments: [1, 2])
    func outputsEqualTheTrainingForwardBitForBit(threads: Int) throws {
        singleThreadedBLAS()
        let trainer = try Self.trained()
        let params = Array(trainer.params)
        let inference = try InferenceModel(checkpoint: trainer.checkpoint(), threads: threads)
        // Training ran at B = 4, T = 6; these include B = 1 and lengths other than 6.
        let shapes = [(1, 1), (1, 9), (4, 6), (3, 2), (2, 60), (1, 9)]
        for (seed, (b, t)) in shapes.enumerated() {
            let x = Self.input(batch: b, time: t, seed: UInt64(seed % 5 + 2))
            let ours = try inference.predict(x, batch: b, time: t)
            let reference = Self.trainingForward(params: params, x: x, batch: b, time: t, threads: threads)
            #expect(ours.raw.map(\.bitPattern) == reference.map(\.bitPattern), "B=\(b) T=\(t), \(threads) threads")
        }
    }

    @Test func headsAreInTheLabelsUnits() throws {
        singleThreadedBLAS()
        let trainer = try Self.trained()
        let inference = try InferenceModel(checkpoint: trainer.checkpoint())
        let p = try inference.predict(Self.input(batch: 2, time: 5, seed: 3), batch: 2, time: 5)
        let w = 8 + 5
        #expect(p.form == [p.raw[0] * 100, p.raw[w] * 100] && p.risk == [p.raw[7 + 5] * 100, p.raw[w + 7 + 5] * 100])
        #expect(p.angles[6 + 2] == p.raw[w + 1 + 2] * 180 && p.logits[5 + 4] == p.raw[w + 7 + 4])
        for s in 0..<2 {
            let row = p.probabilities[s * 5..<(s + 1) * 5], logits = p.logits[s * 5..<(s + 1) * 5]
            #expect(abs(row.reduce(0, +) - 1) < 1e-6)
            #expect(row.firstIndex(of: row.max()!) == logits.firstIndex(of: logits.max()!))
        }
        #expect(inference.classNames == ModelConfig.classNames)
    }

    @Test func theWorkspaceHoldsNoBackwardBuffers() throws {
        singleThreadedBLAS()
        let c = Self.config, params = [Float](repeating: 0.01, count: ParameterTable(c).count)
        let inference = try InferenceModel(config: c, params: params, threads: 2)
        #expect(inference.workspaceElements == 0)
        let b = 3, t = 7
        _ = try inference.predict(Self.input(batch: b, time: t, seed: 1), batch: b, time: t)
        // Forward: input, graph outputs and their pre-mix products, embedding, LSTM layer outputs,
        // per direction gates [F, 4H], cell and its tanh [F, H] x 2, w_hh^T, one step's product, zeros; pooled [B, 2Z].
        let f = b * t, v = 33, h = c.hidden, z = 2 * h, widths = c.gcnWidths.reduce(0, +)
        let lstm = 2 * c.lstmLayers * (f * 4 * h + 2 * f * h + 4 * h * h + 4 * h * b + h)
        let forward = f * v * 3 + 2 * f * v * widths + f * c.embed + c.lstmLayers * f * z + lstm + 2 * b * z
        #expect(inference.workspaceElements == forward)
        let training = GNNLSTM<Float>(config: c, batch: b, time: t, threads: 2)
        #expect(training.forwardElements == forward)
        // Backward adds every activation's gradient, the gate gradients and carries, and the second chunk's scratch.
        let prefix = training.table["lstm.weight_ih_l0"].offset
        let backward = f * v * 3 + f * v * widths + f * c.embed + c.lstmLayers * f * z + 2 * b * z + prefix
            + 2 * c.lstmLayers * (f * 4 * h + 2 * b * h)
        #expect(training.backwardElements == backward && backward > 0)
    }

    @Test func theWorkspaceIsKeptWhileTheShapeRepeats() throws {
        singleThreadedBLAS()
        let c = Self.config, params = (0..<ParameterTable(c).count).map { Float($0 % 11) / 100 - 0.05 }
        let inference = try InferenceModel(config: c, params: params)
        let x = Self.input(batch: 2, time: 4, seed: 8)
        let first = try inference.predict(x, batch: 2, time: 4)
        let workspace = try #require(inference.workspaceForTesting)
        #expect(try inference.predict(x, batch: 2, time: 4) == first)
        #expect(inference.workspaceForTesting === workspace, "same shape: same workspace")
        _ = try inference.predict(Self.input(batch: 1, time: 3, seed: 9), batch: 1, time: 3)
        #expect(inference.workspaceForTesting !== workspace)
        #expect(try inference.predict(x, batch: 2, time: 4) == first, "a rebuilt workspace gives the same outputs")
    }

    @Test func badInputsAreErrors() throws {
        let c = Self.config, n = ParameterTable(c).count
        #expect(throws: InferenceError(field: "params", reason: "3 values, expected \(n)")) { try InferenceModel(config: c, params: [1, 2, 3]) }
        var wrong = c
        wrong.landmarks = 17
        #expect(throws: InferenceError.self) { try InferenceModel(config: wrong, params: []) }
        let inference = try InferenceModel(config: c, params: [Float](repeating: 0, count: n))
        #expect(throws: InferenceError(field: "x", reason: "10 values, expected batch 1 x time 1 x 33 x 3")) {
            try inference.predict([Float](repeating: 0, count: 10), batch: 1, time: 1)
        }
        #expect(throws: InferenceError.self) { try inference.predict([], batch: 0, time: 5) }
        #expect(throws: InferenceError.self) { try inference.predict([], batch: Int.max, time: 2) }
    }
}
