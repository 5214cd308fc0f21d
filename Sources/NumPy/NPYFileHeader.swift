/// What a `.npy` header says about the data after it: dtype, shape, order and where it starts.
///
/// `NPYFile.readHeader` returns one without reading the data; the typed readers and
/// `NPYMappedArray` check the rest of the file against it.
public struct NPYFileHeader: Sendable, Equatable {
    /// The element type.
    public var dtype: NPYDType
    /// Whether the data is in Fortran (column-major) order; biomech's readers refuse such files.
    public var fortranOrder: Bool
    /// The size of each axis; empty for a 0-D array.
    public var shape: [Int]
    /// The byte offset of the first element: the preamble plus the padded header.
    public var dataOffset: Int
    /// The number of elements, the product of `shape`.
    public var elementCount: Int

    /// Makes a header; `elementCount` must be the product of `shape`.
    public init(dtype: NPYDType, fortranOrder: Bool, shape: [Int], dataOffset: Int, elementCount: Int) {
        self.dtype = dtype
        self.fortranOrder = fortranOrder
        self.shape = shape
        self.dataOffset = dataOffset
        self.elementCount = elementCount
    }

    /// The number of data bytes the shape needs: `elementCount * dtype.itemSize`.
    public var payloadByteCount: Int { elementCount * dtype.itemSize }

    /// The file size the header implies: `dataOffset + payloadByteCount`.
    public var expectedFileSize: Int { dataOffset + payloadByteCount }

    /// Parses the header at the start of `bytes`, refusing dtypes not in `accepted`.
    static func decode(_ bytes: UnsafeRawBufferPointer, accepting accepted: [NPYDType] = NPYDType.allCases)
        throws(HeaderProblem) -> NPYFileHeader {
        let (header, dataOffset) = try NPYHeader.decode(bytes)
        guard !header.structured, let dtype = NPYDType(descr: header.descr), accepted.contains(dtype) else {
            throw dtypeProblem(header, expected: accepted)
        }
        // The file size is dataOffset + bytes, so that sum must not overflow either.
        guard let count = NPYShape.elementCount(header.shape),
              case (let bytes, false) = count.multipliedReportingOverflow(by: dtype.itemSize),
              case (_, false) = bytes.addingReportingOverflow(dataOffset) else {
            throw HeaderProblem("shape \(NPYHeader.shapeRepr(header.shape)) holds too many elements")
        }
        return NPYFileHeader(dtype: dtype, fortranOrder: header.fortranOrder, shape: header.shape,
                             dataOffset: dataOffset, elementCount: count)
    }

    /// Refuses Fortran order, which every typed reader does: they hand out C-order values.
    func requireCOrder() throws(HeaderProblem) {
        guard !fortranOrder else {
            throw HeaderProblem("fortran_order is True (expected False: biomech reads C-order arrays; save np.ascontiguousarray(a) instead)")
        }
    }

    /// Checks that exactly `payloadByteCount` bytes follow the header in a file of `size` bytes.
    func requirePayload(fileSize size: Int) throws(HeaderProblem) {
        let available = size - dataOffset
        let shapeText = NPYHeader.shapeRepr(shape)
        guard available >= payloadByteCount else {
            throw HeaderProblem("data is \(available) bytes but shape \(shapeText) of \(dtype) needs \(payloadByteCount) (truncated?)")
        }
        guard available == payloadByteCount else {
            throw HeaderProblem("\(available - payloadByteCount) unexpected bytes after the \(payloadByteCount) bytes of data for shape \(shapeText)")
        }
    }

    /// Why `header`'s dtype is refused, naming the dtypes that would have been read.
    private static func dtypeProblem(_ header: NPYHeader, expected: [NPYDType]) -> HeaderProblem {
        let found = header.descrForMessage
        let wanted = expected.count <= 2
            ? expected.map(\.description).joined(separator: " or ")
            : "one of " + expected.map(\.description).joined(separator: ", ")
        if header.structured {
            return HeaderProblem("dtype \(found) is a structured or invalid descr (expected \(wanted))")
        }
        if header.descr.hasPrefix(">"), let little = NPYDType(descr: "<" + header.descr.dropFirst()) {
            return HeaderProblem("dtype \(found) is big-endian (expected little-endian \(wanted); save a.astype('\(little.descr)'))")
        }
        if let other = NPYDType(descr: header.descr) {
            return HeaderProblem("dtype \(found) is not supported (expected \(wanted); read it as \(other.swiftName))")
        }
        return HeaderProblem("dtype \(found) is not supported (expected \(wanted))")
    }
}
