import CArchive
import Foundation

extension ArchiveExtractor {
    /// A libarchive read handle over one file; owns the handle and frees it.
    final class Reader {
        private let handle: OpaquePointer
        /// Set when the first header could not be read (not an archive of the enabled formats).
        private(set) var peekFailed = false
        /// The error that ended iteration early, if any.
        private(set) var failure: String?
        private var pending: OpaquePointer?

        init(path: String, raw: Bool) throws {
            handle = archive_read_new()
            archive_read_support_filter_all(handle)
            if raw {
                archive_read_support_format_raw(handle)
            } else {
                archive_read_support_format_tar(handle)
                archive_read_support_format_gnutar(handle)
                archive_read_support_format_zip(handle)
                archive_read_support_format_7zip(handle)
                archive_read_support_format_rar(handle)
                archive_read_support_format_rar5(handle)
                archive_read_support_format_cpio(handle)
            }
            guard archive_read_open_filename(handle, path, 1 << 20) == ARCHIVE_OK else {
                // deinit frees the handle: a throwing class init still runs it once all properties are set.
                throw ArchiveError(archive: path, entry: nil, reason: "cannot open: \(ArchiveExtractor.errorText(handle))")
            }
            var entry: OpaquePointer?
            let status = archive_read_next_header(handle, &entry)
            if status >= ARCHIVE_WARN && status != ARCHIVE_EOF {
                pending = entry
            } else if status != ARCHIVE_EOF {
                peekFailed = true
            }
        }

        deinit { archive_read_free(handle) }

        var error: String { ArchiveExtractor.errorText(handle) }

        /// The next entry, or nil at the end (or on an error, kept in `failure`).
        func nextEntry() -> OpaquePointer? {
            if let entry = pending {
                pending = nil
                return entry
            }
            if peekFailed { return nil }
            var entry: OpaquePointer?
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { return nil }
            if status < ARCHIVE_WARN {
                failure = "corrupt or truncated archive: \(error)"
                return nil
            }
            return entry
        }

        func pathname(_ entry: OpaquePointer) -> String {
            if let utf8 = archive_entry_pathname_utf8(entry) { return String(cString: utf8) }
            if let raw = archive_entry_pathname(entry) { return String(cString: raw) }
            return ""
        }

        /// Streams the current entry's data into `writer`, reporting each block's size to `count`.
        func copyData(to writer: OpaquePointer?, refuse: (String) -> ArchiveError, count: (Int64) throws -> Void) throws {
            var buffer: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            while true {
                let status = archive_read_data_block(handle, &buffer, &size, &offset)
                if status == ARCHIVE_EOF { return }
                guard status >= ARCHIVE_WARN else { throw refuse("corrupt or truncated data: \(error)") }
                try count(Int64(size))
                guard archive_write_data_block(writer, buffer, size, offset) >= ARCHIVE_WARN else {
                    throw refuse("cannot write: \(ArchiveExtractor.errorText(writer))")
                }
            }
        }
    }
}
