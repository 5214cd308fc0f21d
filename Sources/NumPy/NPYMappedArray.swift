import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory map of a `.npy` file's data as `Element`s: nothing is read or copied up front.
///
/// The file is checked when mapped: its dtype must be `Element.dtype`, its order C, and its size
/// exactly what the header implies (a truncated file is refused here rather than faulting later).
/// The map lasts as long as this object; pointers handed to the closures must not escape them.
/// Shrinking the file while it is mapped makes reads fault (SIGBUS); biomech replaces files by
/// renaming, which leaves an existing map intact.
public final class NPYMappedArray<Element: NPYElement>: @unchecked Sendable {
    // Sendable: every stored property is immutable and the pages are mapped read-only.

    /// The path the map was made from, for error messages.
    public let path: String
    /// The file's header: dtype, shape and where the data starts.
    public let header: NPYFileHeader
    private let base: UnsafeRawPointer
    private let length: Int

    /// Maps `url`, throwing an NPYError naming the file when it is not a C-order `Element.dtype` array of the right size.
    public init(_ url: URL) throws {
        let file = try NPYReadableFile(url)
        let header = try file.header(accepting: [Element.dtype])
        do {
            try header.requireCOrder()
            try header.requirePayload(fileSize: file.size)
        } catch {
            throw NPYError(file: file.path, reason: error.reason)
        }
        // The whole file, because a map must start at a page boundary; the header is never empty.
        guard let mapped = mmap(nil, file.size, PROT_READ, MAP_PRIVATE, file.fd, 0), mapped != MAP_FAILED else {
            throw NPYReadableFile.failure(file.path, "cannot map the file", errno)
        }
        // The descriptor closes with `file`; the mapping stays valid until munmap.
        (path, self.header, base, length) = (file.path, header, UnsafeRawPointer(mapped), file.size)
        do {
            try NPYFile.requireValidValues(payload, of: Element.self)
        } catch {
            throw NPYError(file: path, reason: error.reason)
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    /// The size of each axis.
    public var shape: [Int] { header.shape }
    /// The number of elements.
    public var count: Int { header.elementCount }

    /// Whether the data starts at an address suitable for `Element` loads.
    ///
    /// Files numpy and biomech write start their data at a multiple of 64; hand-made or old
    /// files may not, and then only `withUnsafeBytes` and the subscript (unaligned loads) work.
    public var isAligned: Bool { header.dataOffset % MemoryLayout<Element>.alignment == 0 }

    /// Calls `body` with the elements in place, in C order; throws when the data is misaligned.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) throws -> R {
        guard isAligned else {
            throw NPYError(file: path, reason: "data starts at byte \(header.dataOffset), not a multiple of \(MemoryLayout<Element>.alignment) "
                + "(expected \(Element.self)-aligned data for typed access; use the subscript or withUnsafeBytes, or re-save with np.save)")
        }
        let start = (base + header.dataOffset).bindMemory(to: Element.self, capacity: count)
        return try body(UnsafeBufferPointer(start: start, count: count))
    }

    /// Calls `body` with the raw little-endian data bytes, aligned or not.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(payload)
    }

    /// The element at flat (C-order) `index`, loaded without any alignment requirement.
    public subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "index \(index) out of range for \(count) elements of \(path)")
        return base.loadUnaligned(fromByteOffset: header.dataOffset + index * MemoryLayout<Element>.stride, as: Element.self)
    }

    private var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + header.dataOffset, count: header.payloadByteCount)
    }
}
