import BiomechCore
import Foundation
import NumPy

/// Reads one split folder of a shard folder (docs/SHARDS.md): windows by global index, and batches.
///
/// `init` checks `index.json` and every shard file's `.npy` header and size against it, then
/// memory-maps the arrays. Nothing else is read up front: pages come in as windows are read, so a
/// reader's own memory does not grow with the folder. `verify()` re-hashes every file.
///
/// Windows are numbered `0..<count` across the shards in shard order. An index outside that range
/// is a programming error and traps (a precondition, like an array subscript).
///
/// A reader is immutable after `init` and its maps are read-only, so one instance may be used from
/// any number of threads at once without locking.
public final class ShardReader: Sendable {
    /// The split folder, the one holding `index.json`.
    public let folder: URL
    /// The validated `index.json`.
    public let index: ShardIndex
    /// One map per file, `ShardArray.allCases` order, per shard.
    private let maps: [[any MappedData]]
    /// `starts[s]` is the global index of shard `s`'s first window; the last entry is `count`.
    private let starts: [Int]
    /// The windows per shard when all but the last shard hold that many (and the last no more), else 0.
    private let uniformShardSize: Int
    /// Bytes per window of each array, `ShardArray.allCases` order (computed once: `rowShape` allocates).
    private let rowBytes: [Int]

    /// Windows in all shards.
    public var count: Int { index.windows }
    /// Frames per window (W).
    public var window: Int { index.window }

    /// Opens the split folder `folder`, throwing a `ShardError` that names the file (and the key)
    /// for anything that does not match the format (docs/SHARDS.md, "Reading with ShardReader").
    public init(folder: URL) throws {
        self.folder = folder
        index = try Self.loadIndex(folder)
        var maps: [[any MappedData]] = []
        var starts = [0]
        for (s, shard) in index.shards.enumerated() {
            maps.append(try zip(ShardArray.allCases, shard.files).enumerated().map { j, pair in
                try Self.map(pair.0, pair.1, in: folder, key: "shards[\(s)].files[\(j)]")
            })
            starts.append(starts[s] + shard.windows)
        }
        self.maps = maps
        self.starts = starts
        let window = index.window
        rowBytes = ShardArray.allCases.map { $0.rowByteCount(window: window) }
        let first = index.shards.first?.windows ?? 0
        uniformShardSize = index.shards.dropLast().allSatisfy { $0.windows == first } && (index.shards.last?.windows ?? 0) <= first
            ? first : 0
    }

    /// Opens every split of a shard folder `shards/NAME`: each sub-folder (`train`, `val`, `test`) by its name.
    ///
    /// Every visible sub-folder must be a complete split whose `index.json` names it, so a
    /// split left incomplete by a killed run is an error rather than silently missing.
    public static func splits(of folder: URL) throws -> [String: ShardReader] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { name in
                var isFolder: ObjCBool = false
                return !name.hasPrefix(".")
                    && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder)
                    && isFolder.boolValue
            }.sorted()
        } catch {
            throw ShardError(file: folder.path, reason: "cannot list the folder (expected a shard folder holding train/, val/, test/)")
        }
        guard !names.isEmpty else {
            throw ShardError(file: folder.path, reason: "no split folders (expected train/, val/, test/, each holding index.json)")
        }
        var readers: [String: ShardReader] = [:]
        for name in names {
            let reader = try ShardReader(folder: folder.appendingPathComponent(name, isDirectory: true))
            guard reader.index.split == name else {
                throw ShardError(file: reader.folder.appendingPathComponent(ShardIndex.fileName).path, key: "split",
                                 reason: "is '\(reader.index.split)' (expected '\(name)', the folder's name)")
            }
            readers[name] = reader
        }
        return readers
    }

    // MARK: Reading

    /// Window `i` (global index) with its labels, copied out of the maps.
    public func window(_ i: Int) -> WindowRecord {
        let (s, r) = location(i)
        func rows<T: NPYElement>(_ array: ShardArray, _: T.Type) -> [T] {
            let n = rowBytes[array.position] / MemoryLayout<T>.stride
            return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                copyRow(array, shard: s, row: r, to: UnsafeMutableRawPointer(buffer.baseAddress!))
                initialized = n
            }
        }
        func value<T: NPYElement>(_ array: ShardArray, _: T.Type) -> T {
            maps[s][array.position].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: r * MemoryLayout<T>.stride, as: T.self) }
        }
        let source = rows(.source, Int64.self)
        return WindowRecord(x: rows(.x, Float.self), mask: rows(.mask, UInt8.self), exercise: value(.exercise, Int32.self),
                            quality: value(.quality, Int32.self), form: value(.form, Float.self), angles: rows(.angles, Float.self),
                            risk: value(.risk, Float.self), flags: rows(.flags, UInt8.self), sequence: source[0], start: source[1])
    }

    /// The windows at `indices` (global, any order, repeats allowed) as one batch of contiguous arrays.
    public func batch(_ indices: some Collection<Int>) -> WindowBatch {
        var batch = WindowBatch(window: window, capacity: indices.count)
        fill(&batch, with: indices)
        return batch
    }

    /// Refills `batch` with the windows at `indices`, reusing its storage: no allocation once it has
    /// held that many windows. `batch.window` must be this reader's window.
    public func fill(_ batch: inout WindowBatch, with indices: some Collection<Int>) {
        precondition(batch.window == window, "a batch of \(batch.window)-frame windows cannot hold \(window)-frame windows")
        batch.resize(rows: indices.count)
        guard !indices.isEmpty else { return }
        batch.x.withUnsafeMutableBytes { copy(.x, rows: indices, into: $0) }
        batch.mask.withUnsafeMutableBytes { copy(.mask, rows: indices, into: $0) }
        batch.exercise.withUnsafeMutableBytes { copy(.exercise, rows: indices, into: $0) }
        batch.quality.withUnsafeMutableBytes { copy(.quality, rows: indices, into: $0) }
        batch.form.withUnsafeMutableBytes { copy(.form, rows: indices, into: $0) }
        batch.angles.withUnsafeMutableBytes { copy(.angles, rows: indices, into: $0) }
        batch.risk.withUnsafeMutableBytes { copy(.risk, rows: indices, into: $0) }
        batch.flags.withUnsafeMutableBytes { copy(.flags, rows: indices, into: $0) }
        batch.source.withUnsafeMutableBytes { copy(.source, rows: indices, into: $0) }
    }

    /// Copies one array's entries of the windows at `indices` into caller memory, back to back:
    /// `destination` must be exactly `indices.count * array.rowByteCount(window:)` bytes. For
    /// trainers that gather straight into their own tensors.
    public func copy(_ array: ShardArray, rows indices: some Collection<Int>, into destination: UnsafeMutableRawBufferPointer) {
        let rowBytes = rowBytes[array.position]
        precondition(destination.count == indices.count * rowBytes,
                     "\(destination.count) bytes cannot hold \(indices.count) rows of '\(array.rawValue)' (\(rowBytes) bytes each)")
        guard let base = destination.baseAddress else { return }
        var offset = 0
        for i in indices {
            let (s, r) = location(i)
            copyRow(array, shard: s, row: r, to: base + offset)
            offset += rowBytes
        }
    }

    /// The shard and row of global window `i`; traps when `i` is out of range.
    private func location(_ i: Int) -> (shard: Int, row: Int) {
        precondition(i >= 0 && i < count, "window \(i) out of range for \(count) windows in \(folder.path)")
        if uniformShardSize > 0 {
            let s = i / uniformShardSize
            return (s, i - s * uniformShardSize)
        }
        // Binary search for the last shard starting at or before i.
        var low = 0, high = starts.count - 2
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= i { low = mid } else { high = mid - 1 }
        }
        return (low, i - starts[low])
    }

    @inline(__always)
    private func copyRow(_ array: ShardArray, shard: Int, row: Int, to destination: UnsafeMutableRawPointer) {
        let rowBytes = rowBytes[array.position]
        maps[shard][array.position].withUnsafeBytes { data in
            destination.copyMemory(from: data.baseAddress! + row * rowBytes, byteCount: rowBytes)
        }
    }

    // MARK: Verifying

    /// Recomputes every file's SHA-256 and size, throwing a `ShardError` for the first file (in
    /// index order) that does not match `index.json`.
    ///
    /// Hashes the files on disk with plain reads, not through the maps, so verifying a large
    /// folder leaves the process's memory as it was.
    public func verify(jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let files = index.shards.flatMap(\.files)
        let folder = folder
        let problems = Parallel.map(files, jobs: jobs) { file -> ShardError? in
            let path = folder.appendingPathComponent(file.name).path
            let found: (hex: String, bytes: Int64)
            do {
                found = try FileDigest.sha256(ofFile: path)
            } catch {
                return ShardError(file: path, reason: "cannot be hashed (\(error))")
            }
            if found.bytes != file.bytes {
                return ShardError(file: path, reason: "is \(found.bytes) bytes (expected \(file.bytes) from index.json)")
            }
            if found.hex != file.sha256 {
                return ShardError(file: path, reason: "sha256 is \(found.hex) (expected \(file.sha256) from index.json): "
                                  + "the file changed after it was written")
            }
            return nil
        }
        if let first = problems.lazy.compactMap({ $0 }).first { throw first }
    }

    // MARK: Opening

    /// Reads and checks `index.json` of `folder`: JSON, format, version, keys, and that it is self-consistent.
    static func loadIndex(_ folder: URL) throws -> ShardIndex {
        let url = folder.appendingPathComponent(ShardIndex.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ShardError(file: folder.path, reason: "no index.json: not a shard folder, or a run of biomech-window that did not finish")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ShardError(file: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        // Format and version first: another version may have other keys, and should say so.
        guard let preamble = try? JSONDecoder().decode(Preamble.self, from: data) else {
            throw ShardError(file: url.path, reason: "is not a JSON object (expected the index of a biomech-shards split folder)")
        }
        guard preamble.format == .string(ShardIndex.formatName) else {
            throw ShardError(file: url.path, key: "format", reason: "is \(preamble.format) (expected '\(ShardIndex.formatName)')")
        }
        guard preamble.version == .integer(ShardIndex.formatVersion) else {
            throw ShardError(file: url.path, key: "version",
                             reason: "is \(preamble.version) (expected \(ShardIndex.formatVersion): this reader reads version 1 only)")
        }
        let index: ShardIndex
        do {
            index = try JSONDecoder().decode(ShardIndex.self, from: data)
        } catch let error as DecodingError {
            throw decodingProblem(error, file: url.path)
        }
        try check(index, file: url.path)
        return index
    }

    /// Maps one shard file and checks its header and size against its index entry.
    private static func map(_ array: ShardArray, _ entry: ShardIndex.File, in folder: URL, key: String) throws -> any MappedData {
        let url = folder.appendingPathComponent(entry.name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ShardError(file: url.path, reason: "is missing (index.json lists it at '\(key)')")
        }
        let mapped: any MappedData
        do {
            switch array.dtype {
            case .float32: mapped = try NPYMappedArray<Float>(url)
            case .uint8: mapped = try NPYMappedArray<UInt8>(url)
            case .int32: mapped = try NPYMappedArray<Int32>(url)
            case .int64: mapped = try NPYMappedArray<Int64>(url)
            case .float64: mapped = try NPYMappedArray<Double>(url)
            case .bool: mapped = try NPYMappedArray<Bool>(url)
            }
        } catch let error as NPYError {
            throw ShardError(file: url.path, reason: "not a readable .npy: \(error.reason) "
                             + "(index.json says \(entry.dtype) \(shapeText(entry.shape)), \(entry.bytes) bytes)")
        }
        let header = mapped.header
        guard header.shape == entry.shape else {
            throw ShardError(file: url.path, reason: "header shape is \(shapeText(header.shape)) (expected \(shapeText(entry.shape)) from index.json '\(key).shape')")
        }
        guard header.expectedFileSize == entry.bytes else {
            throw ShardError(file: url.path, reason: "is \(header.expectedFileSize) bytes (expected \(entry.bytes) from index.json '\(key).bytes')")
        }
        return mapped
    }

    /// A DecodingError as a ShardError naming the key path.
    private static func decodingProblem(_ error: DecodingError, file: String) -> ShardError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { text, key in
                if let i = key.intValue, key.stringValue == "Index \(i)" { return text + "[\(i)]" }
                return text.isEmpty ? key.stringValue : text + "." + key.stringValue
            }
        }
        switch error {
        case let .keyNotFound(key, context):
            return ShardError(file: file, key: path(context.codingPath + [key]), reason: "is missing (required by biomech-shards version 1)")
        case let .typeMismatch(type, context):
            return ShardError(file: file, key: path(context.codingPath), reason: "has the wrong type (expected \(jsonType(type)))")
        case let .valueNotFound(type, context):
            return ShardError(file: file, key: path(context.codingPath), reason: "is null (expected \(jsonType(type)))")
        case let .dataCorrupted(context):
            return ShardError(file: file, key: path(context.codingPath), reason: "is not valid: \(context.debugDescription)")
        @unknown default:
            return ShardError(file: file, reason: "cannot be decoded (\(error))")
        }
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: type is any Collection.Type ? "an array or object" : "an object"
        }
    }

    /// The keys read before the rest: whatever their types, so a wrong one can be reported as found.
    private struct Preamble: Decodable {
        var format: Scalar
        var version: Scalar

        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: ShardIndex.CodingKeys.self)
            format = (try? keys.decode(Scalar.self, forKey: .format)) ?? .missing
            version = (try? keys.decode(Scalar.self, forKey: .version)) ?? .missing
        }
    }

    /// A JSON value as an error message shows it.
    private enum Scalar: Decodable, Equatable, CustomStringConvertible {
        case string(String), integer(Int), other(String), missing

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let integer = try? value.decode(Int.self) {
                self = .integer(integer)
            } else if let text = try? value.decode(String.self) {
                self = .string(text)
            } else if let number = try? value.decode(Double.self) {
                self = .other("\(number)")
            } else {
                self = .other(value.decodeNil() ? "null" : "not a string or number")
            }
        }

        var description: String {
            switch self {
            case let .string(text): "'\(text)'"
            case let .integer(n): "\(n)"
            case let .other(text): text
            case .missing: "missing"
            }
        }
    }
}

extension ShardReader {
    /// Checks that `index` is self-consistent: values in range, shards named and sized as the
    /// writer makes them, each listing the nine arrays in order with their dtypes and shapes.
    private static func check(_ index: ShardIndex, file: String) throws {
        func fail(_ key: String, _ reason: String) -> ShardError { ShardError(file: file, key: key, reason: reason) }
        guard index.window > 0 else { throw fail("window", "is \(index.window) (expected frames per window, > 0)") }
        guard index.stride > 0 else { throw fail("stride", "is \(index.stride) (expected frames between window starts, > 0)") }
        guard ["world", "image"].contains(index.coords) else { throw fail("coords", "is '\(index.coords)' (expected 'world' or 'image')") }
        guard ["catalog", "sequences"].contains(index.source) else {
            throw fail("source", "is '\(index.source)' (expected 'catalog' or 'sequences')")
        }
        let angleCount = ShardArray.angles.rowCount(window: 1)
        guard index.angles.count == angleCount else {
            throw fail("angles", "names \(index.angles.count) angles (expected \(angleCount), the columns of 'angles')")
        }
        let heads = LabelHead.allCases.map(\.name)
        guard index.heads == heads else {
            throw fail("heads", "is \(index.heads) (expected \(heads), the columns of 'flags')")
        }
        let total = index.shards.reduce(0) { $0 + $1.windows }
        guard index.windows == total else {
            throw fail("windows", "is \(index.windows) (expected \(total), the sum of the shards' windows)")
        }
        for (reason, n) in index.dropped where n < 0 { throw fail("dropped.\(reason)", "is \(n) (expected a count, >= 0)") }
        let sources = LabelSource.allCases.map(\.name)
        for (head, counts) in index.labelSources.sorted(by: { $0.key < $1.key }) {
            guard heads.contains(head) else { throw fail("label_sources.\(head)", "is not a head (expected one of \(heads))") }
            for (source, n) in counts where !sources.contains(source) || n < 0 {
                throw fail("label_sources.\(head).\(source)", "is not a count of one of \(sources)")
            }
            let total = counts.values.reduce(0, +)
            guard total == index.windows else {
                throw fail("label_sources.\(head)", "counts \(total) windows (expected \(index.windows), the key 'windows')")
            }
        }
        guard Set(index.sequences.map(\.number)).count == index.sequences.count else {
            throw fail("sequences", "gives two sequences the same number (expected each number once)")
        }
        let arrays = ShardArray.allCases
        for (s, shard) in index.shards.enumerated() {
            let key = "shards[\(s)]"
            let name = String(format: "shard-%05d", s)
            guard shard.name == name else { throw fail("\(key).name", "is '\(shard.name)' (expected '\(name)': shards are numbered in order)") }
            guard shard.windows > 0 else { throw fail("\(key).windows", "is \(shard.windows) (expected > 0: empty shards are not written)") }
            let listed = shard.files.map(\.array)
            guard listed == arrays.map(\.rawValue) else {
                let missing = arrays.map(\.rawValue).filter { !listed.contains($0) }
                let detail = missing.isEmpty ? "lists \(listed)" : "has no entry for \(missing.map { "'\($0)'" }.joined(separator: ", "))"
                throw fail("\(key).files", "\(detail) (expected the \(arrays.count) arrays \(arrays.map(\.rawValue).joined(separator: ", ")), in that order)")
            }
            for (j, (array, entry)) in zip(arrays, shard.files).enumerated() {
                let key = "\(key).files[\(j)]"
                guard entry.name == array.fileName(name) else {
                    throw fail("\(key).name", "is '\(entry.name)' (expected '\(array.fileName(name))')")
                }
                guard entry.dtype == array.dtype.descr else {
                    throw fail("\(key).dtype", "is '\(entry.dtype)' (expected '\(array.dtype.descr)' for '\(array.rawValue)')")
                }
                let shape = [shard.windows] + array.rowShape(window: index.window)
                guard entry.shape == shape else {
                    throw fail("\(key).shape", "is \(shapeText(entry.shape)) (expected \(shapeText(shape)): \(shard.windows) windows of \(index.window) frames)")
                }
                guard entry.bytes > 0 else { throw fail("\(key).bytes", "is \(entry.bytes) (expected the file's size)") }
                guard entry.sha256.count == 64, entry.sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                    throw fail("\(key).sha256", "is '\(entry.sha256)' (expected 64 lowercase hex digits)")
                }
            }
        }
    }
}

/// `(1024, 60, 33, 3)`, as numpy prints a shape.
func shapeText(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}

/// A mapped file's header and data bytes, whatever its element type.
protocol MappedData: Sendable {
    var header: NPYFileHeader { get }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension NPYMappedArray: MappedData {}

extension ShardArray {
    /// The position in `ShardArray.allCases`, which is also the file's position in a shard's `files`.
    var position: Int {
        switch self {
        case .x: 0
        case .mask: 1
        case .exercise: 2
        case .quality: 3
        case .form: 4
        case .angles: 5
        case .risk: 6
        case .flags: 7
        case .source: 8
        }
    }
}
