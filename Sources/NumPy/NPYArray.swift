/// A float32 array in C (row-major) order: the shape and the flat values.
///
/// Equality is element-wise IEEE equality, so two arrays holding NaN (biomech's "no detection"
/// rows) are never equal; compare `values` by `bitPattern` when NaNs must match.
public struct NPYArray: Sendable, Equatable {
    /// The size of each axis; empty for a 0-D (scalar) array.
    public var shape: [Int]
    /// The elements in C order; `count` equals the product of `shape` (1 for a 0-D array).
    public var values: [Float]

    /// Makes an array, throwing when `values.count` is not the product of `shape`.
    public init(shape: [Int], values: [Float]) throws {
        if let problem = NPYArray.mismatch(shape: shape, count: values.count) {
            throw NPYError(file: "<array>", reason: problem)
        }
        self.shape = shape
        self.values = values
    }

    /// Makes an array the caller has already checked (the decoder sizes `values` from `shape`).
    init(checkedShape shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// The number of elements `shape` holds, or nil when a dimension is negative or it overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// Why `count` values cannot fill `shape`, or nil when they fit exactly.
    static func mismatch(shape: [Int], count: Int) -> String? {
        guard let expected = elementCount(shape) else {
            return "shape \(shape) has a negative dimension or too many elements"
        }
        guard expected == count else {
            return "shape \(shape) holds \(expected) values but \(count) were given"
        }
        return nil
    }
}
