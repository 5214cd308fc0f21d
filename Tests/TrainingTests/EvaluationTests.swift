import Foundation
import Model
import Shards
import Testing
import TestSupport
import Training

/// The metrics on constructed cases with known answers, the batch's masks, and `biomech-train evaluate`.
@Suite struct EvaluationTests {
    static let classes = ["squat", "deadlift", "bench_press", "overhead_press", "lunge"]

    @Test func metricsOnAKnownCase() {
        var m = MetricsAccumulator(classNames: Self.classes)
        // Three windows: the second has no form label, the third no exercise and no risk.
        let labels = Labels(form: [80, .nan, 50], angles: [Double](repeating: 90, count: 12) + [Double](repeating: .nan, count: 6),
                            exercise: [0, 4, -1], risk: [10, 20, .nan])
        var logits = [Float](repeating: 0, count: 15)
        logits[0] = 5        // window 0: squat (right)
        logits[5 + 1] = 5    // window 1: deadlift (wrong: lunge)
        logits[10 + 4] = 5   // window 2: no label
        m.add(form: [84, 0, 47], angles: [Float](repeating: 93, count: 6) + [Float](repeating: 89, count: 6) + [Float](repeating: 0, count: 6),
              logits: logits, risk: [12, 26, 99], labels: labels)
        let metrics = m.metrics
        #expect(metrics.formMAE == 3.5, "(4 + 3) / 2")
        #expect(metrics.angleMAEDegrees == 2, "(6 x 3 + 6 x 1) / 12")
        #expect(metrics.exerciseAccuracy == 0.5)
        #expect(metrics.riskMAE == 4, "(2 + 6) / 2")
        #expect(metrics.windows == 3 && metrics.counts == ["form": 2, "angles": 2, "exercise": 2, "risk": 2])
        #expect(metrics.confusion[0][0] == 1 && metrics.confusion[4][1] == 1 && metrics.confusion.joined().reduce(0, +) == 2)
        #expect(metrics.perExercise["lunge"]?.exerciseAccuracy == 0 && metrics.perExercise["squat"]?.formMAE == 4)
        #expect(metrics.perExercise["deadlift"] == nil, "per exercise is by label")
    }

    @Test func missingLabelsBecomeTheLossUnknownMarkers() {
        let record = WindowRecord(x: [Float](repeating: 1, count: 2 * 99), mask: [UInt8](repeating: 1, count: 66), exercise: 3, quality: 1,
                                  form: 70, angles: [1, 2, 3, 4, 5, 6], risk: 20,
                                  flags: [LabelSource.missing, .computed, .truth, .missing].map(\.rawValue), sequence: 0, start: 0)
        let batch = BatchAssembler.batch([record], window: 2)
        #expect(batch.labels.form[0].isNaN && batch.labels.risk[0].isNaN)
        #expect(batch.labels.angles == [1, 2, 3, 4, 5, 6] && batch.labels.exercise == [3])
        #expect(batch.x == record.x && batch.count == 1)
    }

    /// A split of `n` windows of 8 frames with every label known, in `folder`.
    static func split(_ folder: URL, n: Int, classes: [String] = classes) throws {
        let writer = try ShardWriter(folder: folder, window: 8, shardSize: 16)
        for i in 0..<n {
            let x = (0..<(8 * 99)).map { Float(sin(Double($0 + i * 7))) * 0.5 }
            try writer.append(WindowRecord(x: x, mask: [UInt8](repeating: 1, count: 8 * 33), exercise: Int32(i % 5), quality: 0,
                                           form: Float(60 + i % 30), angles: [Float](repeating: 120, count: 6), risk: 30, flags: [2, 2, 2, 2],
                                           sequence: Int64(i), start: 0))
        }
        try writer.finish(ShardIndex(format: ShardIndex.formatName, version: ShardIndex.formatVersion, split: "test", window: 8, stride: 4,
                                     coords: "world", normalization: "test", exercises: classes,
                                     qualities: ["excellent", "good", "fair", "poor"],
                                     angles: ["left_knee", "right_knee", "left_hip", "right_hip", "left_elbow", "right_elbow"],
                                     heads: LabelHead.allCases.map(\.name), source: "sequences", sequences: [], windows: 0, dropped: [:],
                                     labelSources: Dictionary(uniqueKeysWithValues: LabelHead.allCases.map { ($0.name, ["truth": n]) }),
                                     thresholds: Thresholds(), shards: []))
    }

    @Test func evaluateReportsTheFourFiguresAndRefusesWhatDoesNotFit() throws {
        let folder = try TemporaryFolder("biomech-evaluate")
        try Self.split(folder("test"), n: 40)
        try Tools.require(Tools.product("biomech-train"), ["init", "--out", folder("init.ckpt").path])
        let run = try Tools.run(Tools.product("biomech-train"), ["evaluate", "--ckpt", folder("init.ckpt").path, "--shards", folder("test").path,
                                                                 "--json", folder("metrics.json").path, "--batch", "16", "--threads", "1"])
        #expect(run.status == 0 && run.stdout.contains("form_mae"), "\(run.all)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: folder("metrics.json"))) as? [String: Any])
        #expect(json["windows"] as? Int == 40)
        for key in ["form_mae", "angle_mae_deg", "exercise_accuracy", "risk_mae", "confusion", "per_exercise"] { #expect(json[key] != nil, "\(key)") }
        let confusion = try #require(json["confusion"] as? [[Int]])
        #expect(confusion.joined().reduce(0, +) == 40)

        // Another vocabulary, an empty split, a file that is not a checkpoint: exit 2 with the reason.
        try Self.split(folder("other"), n: 4, classes: ["a", "b", "c", "d", "e"])
        try Self.split(folder("empty"), n: 0)
        try Data("not a checkpoint".utf8).write(to: folder("bad.ckpt"))
        // A checkpoint that says it was trained on 60-frame windows, on this 8-frame split.
        var sixty = try Checkpoint.read(from: folder("init.ckpt"))
        sixty.header.window = 60
        try sixty.write(to: folder("sixty.ckpt"))
        for (ckpt, shards, says) in [("init.ckpt", "other", "exercise classes"), ("init.ckpt", "empty", "no windows"), ("bad.ckpt", "test", "bad.ckpt"),
                                     ("sixty.ckpt", "test", "60-frame")] {
            let refused = try Tools.run(Tools.product("biomech-train"), ["evaluate", "--ckpt", folder(ckpt).path, "--shards", folder(shards).path])
            #expect(refused.status == 2 && refused.stderr.contains(says), "\(ckpt) \(shards): \(refused.all)")
        }
    }
}
