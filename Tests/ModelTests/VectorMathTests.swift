@testable import Model
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The vectorised Float sigmoid and tanh against libm in Double, including the saturated ends and a short tail.
@Suite struct VectorMathTests {
    static let inputs: [Float] = (-4000...4000).map { Float($0) / 40 } + [-1e30, -500, -88.5, -87.4, 87.4, 88.5, 500, 1e30, 1e-7, -1e-7, 0]

    func worst(_ f: (UnsafeMutablePointer<Float>, Int) -> Void, _ reference: (Double) -> Double) -> (absolute: Double, relative: Double) {
        var values = Self.inputs
        values.withUnsafeMutableBufferPointer { f($0.baseAddress!, $0.count) }
        var absolute = 0.0, relative = 0.0
        for (x, y) in zip(Self.inputs, values) {
            let exact = reference(Double(x)), error = abs(Double(y) - exact)
            absolute = max(absolute, error)
            if abs(exact) > 1e-3 { relative = max(relative, error / abs(exact)) }
        }
        return (absolute, relative)
    }

    @Test func sigmoidIsWithinAFewUlp() {
        #expect(Self.inputs.count % 8 != 0, "the inputs must exercise the tail")
        let e = worst(VectorMath.sigmoid, { 1 / (1 + exp(-$0)) })
        print("vector sigmoid: largest absolute error \(e.absolute), relative \(e.relative)")
        #expect(e.absolute < 2e-7 && e.relative < 1e-6)
    }

    @Test func tanhIsWithinAFewUlp() {
        let e = worst(VectorMath.tanh, { Glibc.tanh($0) })
        print("vector tanh: largest absolute error \(e.absolute), relative (|tanh| > 1e-3) \(e.relative)")
        #expect(e.absolute < 3e-7 && e.relative < 1e-5)
    }
}
