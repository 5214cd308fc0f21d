import BiomechCore
import Foundation

#if !_endian(little)
// The fast paths copy Float memory straight to and from the file's little-endian bytes.
#error("NumPy assumes a little-endian host (x86_64, arm64)")
#endif

/// Reads and writes `.npy` files of float32 arrays (the NumPy format, versions 1.0, 2.0 and 3.0).
///
/// The on-disk format as biomech uses it is described in `Sources/NumPy/README.md`.
public enum NPYFile {
    /// Writes a float32 little-endian, C-order .npy (version 1.0, header padded so data starts at a multiple of 64 bytes), atomically.
    ///
    /// Readers see the old file or the new one, never a partial write. Throws `NPYError` when
    /// `array.values` does not fill `array.shape`, and `FileError` when the file cannot be written.
    public static func write(_ array: NPYArray, to url: URL) throws {
        if let problem = NPYArray.mismatch(shape: array.shape, count: array.values.count) {
            throw NPYError(file: url.path, reason: "cannot write: \(problem)")
        }
        try AtomicFile.write(encode(array), to: url)
    }

    /// The exact bytes write() produces (for hashing, tests).
    ///
    /// The bytes equal numpy's `np.save` of the same float32 array, and depend on nothing but
    /// the array, so equal arrays always hash alike. The array must be consistent (see `init`).
    public static func encode(_ array: NPYArray) -> Data {
        precondition(NPYArray.mismatch(shape: array.shape, count: array.values.count) == nil,
                     "NPYArray shape \(array.shape) does not match its \(array.values.count) values")
        let header = NPYHeader(descr: "<f4", fortranOrder: false, shape: array.shape).encoded()
        var data = Data(capacity: header.count + array.values.count * MemoryLayout<Float>.size)
        data.append(contentsOf: header)
        // One memcpy: a host Float already has the little-endian IEEE layout of '<f4'.
        array.values.withUnsafeBufferPointer { data.append($0) }
        return data
    }

    /// Reads a .npy: checks magic, version (1, 2 or 3), header dict ('descr', 'fortran_order', 'shape'), accepts '<f4' (and '<f8', converted to Float), rejects fortran_order True, big-endian, other dtypes, truncated data — each with an NPYError naming the file and what was expected.
    public static func read(_ url: URL) throws -> NPYArray {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NPYError(file: url.path, reason: "cannot read the file (\(systemReason(error)))")
        }
        return try decode(data, file: url.path)
    }

    /// Decodes the bytes of a .npy file; `file` names it in errors. Accepts and rejects what `read` does.
    public static func decode(_ data: Data, file: String) throws -> NPYArray {
        do {
            return try data.withUnsafeBytes { try decode($0) }
        } catch let problem as HeaderProblem {
            throw NPYError(file: file, reason: problem.reason)
        }
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer) throws(HeaderProblem) -> NPYArray {
        let (header, dataOffset) = try NPYHeader.decode(bytes)
        let itemSize = try elementSize(header.descr)
        guard !header.fortranOrder else {
            throw HeaderProblem("fortran_order is True (expected False: biomech reads C-order arrays; save np.ascontiguousarray(a) instead)")
        }
        let shapeText = NPYHeader.shapeRepr(header.shape)
        guard let count = NPYArray.elementCount(header.shape),
              case (let byteCount, false) = count.multipliedReportingOverflow(by: itemSize) else {
            throw HeaderProblem("shape \(shapeText) holds too many elements")
        }
        let available = bytes.count - dataOffset
        guard available >= byteCount else {
            throw HeaderProblem("data is \(available) bytes but shape \(shapeText) of '\(header.descr)' needs \(byteCount) (truncated?)")
        }
        guard available == byteCount else {
            throw HeaderProblem("\(available - byteCount) unexpected bytes after the \(byteCount) bytes of data for shape \(shapeText)")
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[dataOffset..<dataOffset + byteCount])
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if itemSize == 4 {
                // Byte copy: the file gives no alignment guarantee for a Float load.
                if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: payload) }
            } else {
                for i in 0..<count {
                    buffer[i] = Float(payload.loadUnaligned(fromByteOffset: i * 8, as: Double.self))
                }
            }
            initialized = count
        }
        return NPYArray(checkedShape: header.shape, values: values)
    }

    /// The item size of the dtypes biomech accepts, or why `descr` is refused.
    private static func elementSize(_ descr: String) throws(HeaderProblem) -> Int {
        switch descr {
        case "<f4": return 4
        case "<f8": return 8
        case ">f4", ">f8":
            throw HeaderProblem("dtype '\(descr)' is big-endian (expected little-endian '<f4' or '<f8'; save a.astype('<f4'))")
        default:
            throw HeaderProblem("dtype '\(descr)' is not supported (expected '<f4' or '<f8')")
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
