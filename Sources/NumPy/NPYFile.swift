import BiomechCore
import Foundation

#if !_endian(little)
// The fast paths copy element memory straight to and from the file's little-endian bytes.
#error("NumPy assumes a little-endian host (x86_64, arm64)")
#endif

/// Reads and writes `.npy` files of the dtypes in `NPYDType` (the NumPy format, versions 1.0, 2.0 and 3.0).
///
/// The on-disk format as biomech uses it is described in `Sources/NumPy/README.md`.
/// `NPYMappedArray` maps a file instead of reading it, and `NPYStreamWriter` writes one row by row.
public enum NPYFile {
    /// Writes a little-endian, C-order .npy (version 1.0, header padded so data starts at a multiple of 64 bytes), atomically.
    ///
    /// Readers see the old file or the new one, never a partial write. Throws `NPYError` when
    /// `array.values` does not fill `array.shape`, and `FileError` when the file cannot be written.
    public static func write<Element>(_ array: NPYTypedArray<Element>, to url: URL) throws {
        if let problem = NPYShape.mismatch(shape: array.shape, count: array.values.count) {
            throw NPYError(file: url.path, reason: "cannot write: \(problem)")
        }
        try AtomicFile.write(encode(array), to: url)
    }

    /// The exact bytes write() produces (for hashing, tests).
    ///
    /// The bytes equal numpy's `np.save` of the same array, and depend on nothing but the
    /// array, so equal arrays always hash alike. The array must be consistent (see `init`).
    public static func encode<Element>(_ array: NPYTypedArray<Element>) -> Data {
        precondition(NPYShape.mismatch(shape: array.shape, count: array.values.count) == nil,
                     "NPYTypedArray shape \(array.shape) does not match its \(array.values.count) values")
        let header = NPYHeader(descr: Element.dtype.descr, fortranOrder: false, shape: array.shape).encoded()
        var data = Data(capacity: header.count + array.values.count * MemoryLayout<Element>.stride)
        data.append(contentsOf: header)
        // One memcpy: every NPYElement's host layout is its dtype's little-endian layout.
        array.values.withUnsafeBufferPointer { data.append($0) }
        return data
    }

    /// Reads a float32 .npy, accepting '<f4' and '<f8' (rounded to Float, as `a.astype('<f4')` would).
    ///
    /// Checks magic, version (1, 2 or 3) and the header dict ('descr', 'fortran_order', 'shape');
    /// rejects fortran_order True, big-endian, other dtypes, truncated data — each with an
    /// NPYError naming the file and what was expected. `read(_:as:)` reads the other dtypes.
    public static func read(_ url: URL) throws -> NPYArray {
        try decode(contents(of: url), file: url.path)
    }

    /// Reads a .npy whose dtype is exactly `Element.dtype`, refusing every other with an NPYError naming the file.
    public static func read<Element>(_ url: URL, as type: Element.Type) throws -> NPYTypedArray<Element> {
        try decode(contents(of: url), file: url.path, as: type)
    }

    /// Decodes the bytes of a float32 .npy file; `file` names it in errors. Accepts and rejects what `read` does.
    public static func decode(_ data: Data, file: String) throws -> NPYArray {
        try withProblemsNamed(file) {
            try data.withUnsafeBytes { (bytes) throws(HeaderProblem) -> NPYArray in
                let header = try NPYFileHeader.decode(bytes, accepting: [.float32, .float64])
                guard header.dtype == .float64 else { return try decode(bytes, header) }
                let doubles: NPYTypedArray<Double> = try decode(bytes, header)
                return NPYArray(checkedShape: doubles.shape, values: doubles.values.map { Float($0) })
            }
        }
    }

    /// Decodes the bytes of a .npy file of `Element.dtype`; `file` names it in errors.
    public static func decode<Element>(_ data: Data, file: String, as type: Element.Type) throws -> NPYTypedArray<Element> {
        try withProblemsNamed(file) {
            try data.withUnsafeBytes { (bytes) throws(HeaderProblem) -> NPYTypedArray<Element> in
                try decode(bytes, NPYFileHeader.decode(bytes, accepting: [Element.dtype]))
            }
        }
    }

    /// Reads only the header of a .npy: its dtype, shape, order and data offset, never the data.
    ///
    /// Fortran-order files are reported, not refused; the data's size is not checked (see
    /// `NPYFileHeader.expectedFileSize`). Throws an NPYError naming the file for anything else.
    public static func readHeader(_ url: URL) throws -> NPYFileHeader {
        try NPYReadableFile(url).header()
    }

    /// Copies the payload after `header` into an array, after checking order, size and values.
    private static func decode<Element>(_ bytes: UnsafeRawBufferPointer, _ header: NPYFileHeader)
        throws(HeaderProblem) -> NPYTypedArray<Element> {
        try header.requireCOrder()
        try header.requirePayload(fileSize: bytes.count)
        let payload = UnsafeRawBufferPointer(rebasing: bytes[header.dataOffset..<header.expectedFileSize])
        try requireValidValues(payload, of: Element.self)
        let count = header.elementCount
        let values = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Byte copy: the file gives no alignment guarantee for a typed load.
            if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: payload) }
            initialized = count
        }
        return NPYTypedArray(checkedShape: header.shape, values: values)
    }

    /// Refuses payload bytes that are not values of `Element` (a `|b1` byte other than 0 or 1).
    static func requireValidValues<Element: NPYElement>(_ payload: UnsafeRawBufferPointer, of _: Element.Type)
        throws(HeaderProblem) {
        if let bad = Element.firstInvalidByte(in: payload) {
            throw HeaderProblem("element \(bad) of the \(Element.dtype) data is byte \(payload[bad]) (expected 0 or 1)")
        }
    }

    /// The whole file, or an NPYError naming it and the system's reason.
    private static func contents(of url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw NPYError(file: url.path, reason: "cannot read the file (\(systemReason(error)))")
        }
    }

    /// Runs `body`, turning a HeaderProblem into an NPYError that names `file`.
    private static func withProblemsNamed<T>(_ file: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let problem as HeaderProblem {
            throw NPYError(file: file, reason: problem.reason)
        }
    }

    /// The operating system's reason behind a Foundation read error, when it carries one.
    private static func systemReason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let posix = underlying, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return error.localizedDescription
    }
}
