import Model
import Shards

/// One batch ready for the model: `x` `[B, W, 33, 3]` and the labels, missing ones as NaN or -1.
public struct TrainingBatch: Sendable {
    public var x: [Float]
    public var labels: Labels
    public var count: Int
}

/// Turns sampled windows into model input: reads them, applies the batch's augmentation, and
/// turns each label that `flags` marks missing into the loss's unknown marker (NaN, class -1),
/// so that head's term drops out for that window only.
public struct BatchAssembler: Sendable {
    public let real: ShardReader?
    public let synthetic: ShardReader?
    /// nil: no augmentation (evaluation, or `--augment off`).
    public let augmentation: Augmentation?
    public let seed: UInt64

    public init(real: ShardReader?, synthetic: ShardReader?, augmentation: Augmentation?, seed: UInt64) {
        self.real = real
        self.synthetic = synthetic
        self.augmentation = augmentation
        self.seed = seed
    }

    public func assemble(_ batch: SampledBatch) -> TrainingBatch {
        let records = batch.origins.map { origin -> WindowRecord in
            switch origin {
            case .real(let i): real!.window(i)
            case .synthetic(let i): synthetic!.window(i)
            }
        }
        return Self.batch(records, window: records.first.map { $0.mask.count / 33 } ?? 0) { row, record in
            guard let augmentation else { return }
            Augmentation.apply(augmentation.draw(seed: seed, batch: batch.number, row: row), x: &record.x, mask: &record.mask,
                               angles: &record.angles, frames: record.mask.count / 33)
        }
    }

    /// `records` as one batch, after `change` (row, record) has had its say on each.
    public static func batch(_ records: [WindowRecord], window: Int, change: (Int, inout WindowRecord) -> Void = { _, _ in }) -> TrainingBatch {
        var x: [Float] = []
        x.reserveCapacity(records.count * window * 99)
        var form: [Double] = [], angles: [Double] = [], exercise: [Int] = [], risk: [Double] = []
        for (row, original) in records.enumerated() {
            var record = original
            change(row, &record)
            x += record.x
            func known(_ head: LabelHead) -> Bool { record.flags[head.rawValue] != LabelSource.missing.rawValue }
            form.append(known(.form) ? Double(record.form) : .nan)
            angles += record.angles.map { known(.angles) ? Double($0) : .nan }
            exercise.append(known(.exercise) ? Int(record.exercise) : -1)
            risk.append(known(.risk) ? Double(record.risk) : .nan)
        }
        return TrainingBatch(x: x, labels: Labels(form: form, angles: angles, exercise: exercise, risk: risk), count: records.count)
    }
}
