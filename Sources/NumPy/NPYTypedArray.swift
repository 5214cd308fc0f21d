/// An array of one `.npy` dtype in C (row-major) order: the shape and the flat values.
///
/// Equality compares elements with `==`, so for `Float` and `Double` two arrays holding NaN
/// (biomech's "no detection" rows) are never equal; compare `bitPattern`s when NaNs must match.
public struct NPYTypedArray<Element: NPYElement>: Sendable, Equatable {
    /// The size of each axis; empty for a 0-D (scalar) array.
    public var shape: [Int]
    /// The elements in C order; `count` equals the product of `shape` (1 for a 0-D array).
    public var values: [Element]

    /// Makes an array, throwing when `values.count` is not the product of `shape`.
    public init(shape: [Int], values: [Element]) throws {
        if let problem = NPYShape.mismatch(shape: shape, count: values.count) {
            throw NPYError(file: "<array>", reason: problem)
        }
        self.shape = shape
        self.values = values
    }

    /// Makes an array the caller has already checked (the decoder sizes `values` from `shape`).
    init(checkedShape shape: [Int], values: [Element]) {
        self.shape = shape
        self.values = values
    }
}

/// A float32 array: the landmark sequences biomech writes (see README.md).
public typealias NPYArray = NPYTypedArray<Float>

/// Element counts of shapes, checked for negative sizes and overflow.
enum NPYShape {
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
