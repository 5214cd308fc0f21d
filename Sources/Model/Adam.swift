// Adam over the flat parameter buffer: the two moments share the parameters' layout.

/// Adam (Kingma & Ba) with optional decoupled weight decay (AdamW), global-norm clipping and a
/// learning-rate schedule.
public struct Adam: Codable, Sendable {
    public var learningRate = 1e-3
    public var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
    /// Decoupled weight decay (AdamW); 0 disables it.
    public var weightDecay = 0.0
    /// Gradients are scaled down so their global L2 norm is at most this; 0 disables clipping.
    public var clipNorm = 0.0
    /// Steps taken so far.
    public private(set) var step = 0

    public init() {}

    /// Continues from a checkpoint that had taken `step` steps (bias correction depends on it).
    public mutating func restore(step: Int) { self.step = step }

    /// Updates `params` in place from `grads`, keeping the moments in `m` and `v` (same length).
    /// With a `pool`, each thread takes one contiguous range. Returns the gradient norm before clipping.
    @discardableResult
    public mutating func update<T: BLASScalar>(params: UnsafeMutableBufferPointer<T>, grads: UnsafeBufferPointer<T>,
                                               m: UnsafeMutableBufferPointer<T>, v: UnsafeMutableBufferPointer<T>,
                                               learningRate rate: Double? = nil, pool: WorkerPool? = nil) -> Double {
        step += 1
        let ranges = pool?.ranges(params.count) ?? [0..<params.count]
        func parallel(_ body: (Int) -> Void) {
            if let pool { pool.run(tasks: ranges.count, body) } else { for p in ranges.indices { body(p) } }
        }
        // Partial sums per range, added in range order: the same norm for a given thread count.
        var squares = [Double](repeating: 0, count: ranges.count)
        squares.withUnsafeMutableBufferPointer { squares in
            parallel { p in
                var total = 0.0
                for i in ranges[p] { total += Double(grads[i]) * Double(grads[i]) }
                squares[p] = total
            }
        }
        let norm = squares.reduce(0, +).squareRoot()
        let scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1
        let lr = rate ?? learningRate
        let correction1 = 1 - pow(beta1, Double(step)), correction2 = 1 - pow(beta2, Double(step))
        let b1 = T(beta1), b2 = T(beta2), s = T(scale)
        let stepSize = T(lr / correction1), root2 = T(1 / correction2.squareRoot()), eps = T(epsilon), decay = T(lr * weightDecay)
        parallel { p in
            for i in ranges[p] {
                let g = grads[i] * s
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                params[i] -= stepSize * m[i] / ((v[i].squareRoot() * root2) + eps) + decay * params[i]
            }
        }
        return norm
    }
}

/// The learning rate at a step: constant, or linear warm-up then cosine decay to `floor`.
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    case constant(Double)
    case cosine(peak: Double, warmup: Int, total: Int, floor: Double)

    public func rate(at step: Int) -> Double {
        switch self {
        case let .constant(rate): return rate
        case let .cosine(peak, warmup, total, floor):
            if step < warmup { return peak * Double(step + 1) / Double(warmup) }
            let progress = min(1, Double(step - warmup) / Double(max(1, total - warmup)))
            return floor + (peak - floor) * 0.5 * (1 + cos(.pi * progress))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
