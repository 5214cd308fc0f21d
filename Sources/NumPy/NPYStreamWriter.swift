import BiomechCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a `.npy` row by row, straight from the caller's buffers, and publishes it atomically.
///
/// The file's shape is `[rows] + rowShape`. Rows go to a hidden temporary beside `url`; `finish`
/// rewrites the header with the final row count and renames the temporary over `url`. A writer
/// released without `finish`, or after an error, removes its temporary and leaves `url` as it was.
/// The finished file is byte-identical to `np.save` of the whole array (see README.md).
/// Each `append` is one `write(2)`, so callers batch rows rather than append one value at a time.
public final class NPYStreamWriter<Element: NPYElement> {
    /// The file that `finish` creates or replaces.
    public let url: URL
    /// The shape of one row: the file's shape after its first axis.
    public let rowShape: [Int]
    /// The rows appended so far.
    public private(set) var rowCount = 0

    private let rowLength: Int
    private let temporary: URL
    private let headerLength: Int
    /// The temporary's descriptor, or -1 once `finish` has handed it to `AtomicFile.commit`.
    private var fd: Int32
    private var state = State.open

    private enum State { case open, finished, failed }

    /// Creates the temporary and writes a header for zero rows; throws when `rowShape` holds no values.
    ///
    /// A row shape with a 0 dimension is refused because its rows could not be counted from the
    /// values appended; write such arrays with `NPYFile.write`.
    public init(_ url: URL, rowShape: [Int]) throws {
        guard rowShape.allSatisfy({ $0 > 0 }), let rowLength = NPYShape.elementCount(rowShape),
              !rowLength.multipliedReportingOverflow(by: MemoryLayout<Element>.stride).overflow else {
            throw NPYError(file: url.path, reason: "cannot write rows of shape \(NPYHeader.shapeRepr(rowShape)) (expected positive dimensions that fit in memory)")
        }
        let header = NPYStreamWriter.header(rows: 0, rowShape: rowShape)
        (self.url, self.rowShape, self.rowLength, headerLength) = (url, rowShape, rowLength, header.count)
        (temporary, fd) = try AtomicFile.createTemporary(beside: url)
        try guarded { try header.withUnsafeBytes { try AtomicFile.writeAll(fd: fd, $0, path: temporary.path) } }
    }

    deinit {
        // An open descriptor means the temporary was never committed.
        if fd >= 0 {
            close(fd)
            unlink(temporary.path)
        }
    }

    /// Appends whole rows from `values`, C order, with no copy; `values.count` must be a multiple of the row length.
    public func append(rows values: UnsafeBufferPointer<Element>) throws {
        try requireOpen("append to")
        guard values.count % rowLength == 0 else {
            throw NPYError(file: url.path, reason: "cannot append \(values.count) values: rows of shape "
                + "\(NPYHeader.shapeRepr(rowShape)) hold \(rowLength) each (expected a multiple of \(rowLength))")
        }
        guard !values.isEmpty else { return }
        try guarded { try AtomicFile.writeAll(fd: fd, UnsafeRawBufferPointer(values), path: temporary.path) }
        rowCount += values.count / rowLength
    }

    /// Appends whole rows from an array.
    public func append(rows values: [Element]) throws {
        try values.withUnsafeBufferPointer { try append(rows: $0) }
    }

    /// Appends whole rows from an array slice.
    public func append(rows values: ArraySlice<Element>) throws {
        try values.withUnsafeBufferPointer { try append(rows: $0) }
    }

    /// Rewrites the header for `rowCount` rows, flushes, and renames the file into place.
    public func finish() throws {
        try requireOpen("finish")
        let header = NPYStreamWriter.header(rows: rowCount, rowShape: rowShape)
        // numpy leaves room for the first axis to reach 21 digits, more than any Int has.
        guard header.count == headerLength else {
            state = .failed
            throw NPYError(file: url.path, reason: "header for \(rowCount) rows is \(header.count) bytes, not the \(headerLength) reserved")
        }
        try guarded {
            try header.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(done))
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw FileError.posix("write the header of", temporary.path, errno: errno) }
                    done += n
                }
            }
        }
        // commit closes the descriptor, and removes the temporary itself when the sync or rename fails.
        let committing = fd
        fd = -1
        state = .failed
        try AtomicFile.commit(fd: committing, temporary: temporary, to: url)
        state = .finished
    }

    /// The preamble and header of the finished file, as np.save writes them.
    private static func header(rows: Int, rowShape: [Int]) -> [UInt8] {
        NPYHeader(descr: Element.dtype.descr, fortranOrder: false, shape: [rows] + rowShape).encoded()
    }

    private func requireOpen(_ action: String) throws {
        switch state {
        case .open: return
        case .finished: throw NPYError(file: url.path, reason: "cannot \(action) a writer that has finished")
        case .failed: throw NPYError(file: url.path, reason: "cannot \(action) a writer after a failed write")
        }
    }

    /// Runs a write, marking the writer failed if it throws (the temporary's content is then unknown).
    private func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            state = .failed
            throw error
        }
    }
}
