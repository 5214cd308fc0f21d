import Foundation
@testable import Model
import Testing

/// Against a file made once from the PyTorch reference (tools/make_golden.py, llm.c's test_gpt2
/// style): outputs, loss, every gradient, then the losses of four Adam steps. No PyTorch needed here.
@Suite struct GoldenTests {
    struct Golden: Decodable {
        struct Config: Decodable { var width, embed, hidden, classes, batch, time: Int }
        struct GoldenLabels: Decodable { var form: [Double]; var angles: [Double]; var exercise: [Int]; var risk: [Double] }
        var config: Config
        var x: [Double]
        var labels: GoldenLabels
        var outputs: [Double]
        var loss: Double
        var params: [String: [Double]]
        var grads: [String: [Double]]
        var adam_losses: [Double]
        var torch: String
    }

    static let golden: Golden = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden/small.json")
        return try! JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }()

    var config: ModelConfig {
        var c = ModelConfig()
        c.gcnWidths = Array(repeating: Self.golden.config.width, count: 3)
        c.embed = Self.golden.config.embed
        c.hidden = Self.golden.config.hidden
        c.classes = Self.golden.config.classes
        return c
    }

    var labels: Labels {
        let l = Self.golden.labels
        return Labels(form: l.form, angles: l.angles, exercise: l.exercise, risk: l.risk)
    }

    /// The reference's parameters in our flat layout.
    func flatParams(_ table: ParameterTable) -> [Double] {
        var flat = [Double](repeating: .nan, count: table.count)
        for entry in table.entries {
            let values = Self.golden.params[entry.name]!
            precondition(values.count == entry.count, entry.name)
            for (k, v) in values.enumerated() { flat[entry.offset + k] = v }
        }
        return flat
    }

    func relative(_ a: [Double], _ b: [Double]) -> Double {
        let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        return diff / max(1e-12, b.map { $0 * $0 }.reduce(0, +).squareRoot())
    }

    @Test func outputsLossAndEveryGradientMatchPyTorch() throws {
        let g = Self.golden
        singleThreadedBLAS()
        let model = GNNLSTM<Double>(config: config, batch: g.config.batch, time: g.config.time)
        let params = flatParams(model.table)
        var dpred = [Double](repeating: 0, count: g.config.batch * model.headWidth)
        var grads = [Double](repeating: 0, count: params.count)
        model.forward(params: params, x: g.x)
        let loss = try model.predictions.withUnsafeBufferPointer { pred in
            try MultiTaskLoss.evaluate(pred: pred.baseAddress!, dpred: &dpred, labels: labels, weights: LossWeights(), b: g.config.batch, k: config.classes)
        }.loss(weights: LossWeights())
        model.backward(params: params, grads: &grads, x: g.x, dpred: dpred, dx: nil)
        #expect(relative(model.predictions, g.outputs) < 1e-5, "outputs")
        #expect(abs(loss - g.loss) / g.loss < 1e-6, "loss \(loss) vs PyTorch \(g.loss)")
        var worst = 0.0
        for entry in model.table.entries {
            let e = relative(Array(grads[entry.offset..<entry.offset + entry.count]), g.grads[entry.name]!)
            worst = max(worst, e)
            #expect(e < 1e-5, "\(entry.name): \(e)")
        }
        print("golden (PyTorch \(g.torch)): loss \(loss) vs \(g.loss); largest relative gradient difference \(worst)")
    }

    @Test func adamStepsFollowPyTorchsLosses() throws {
        let g = Self.golden
        singleThreadedBLAS()
        let trainer = Trainer<Float>(config: config, batch: g.config.batch, time: g.config.time)
        _ = trainer.params.update(fromContentsOf: flatParams(trainer.model.table).map { Float($0) })
        let x = g.x.map { Float($0) }
        let losses = try (0..<g.adam_losses.count).map { _ in try trainer.step(x: x, labels: labels).loss }
        for (ours, theirs) in zip(losses, g.adam_losses) { #expect(abs(ours - theirs) / theirs < 1e-4, "\(losses) vs \(g.adam_losses)") }
        print("Adam losses: \(losses) vs PyTorch \(g.adam_losses)")
    }
}
