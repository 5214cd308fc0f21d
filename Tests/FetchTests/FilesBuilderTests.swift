import BiomechCore
@testable import Fetch
import Datasets
import Foundation
import Logging
import Testing
import TestSupport

/// The `files/` swap and its recovery never lose a YouTube clip, the one thing a rebuild cannot bring back.
@Suite struct FilesBuilderTests {
    let work: TemporaryFolder
    let folder: DatasetFolder

    /// A dataset with one plain download, a built `files/` and one clip that exists nowhere else.
    init() throws {
        work = try TemporaryFolder()
        folder = DatasetFolder(out: work.url, name: "ds")
        try work.write("ds/downloads/labels.csv", "id\nabc\n")
        try work.write("ds/files/labels.csv", "id\nabc\n")
        try work.write("ds/files/youtube/abc_1_2.mp4", "the only copy")
    }

    var clip: URL { folder.files.appendingPathComponent("youtube/abc_1_2.mp4") }

    func builder(rename: @escaping (URL, URL) throws -> Void = AtomicFile.rename) -> FilesBuilder {
        var builder = FilesBuilder(folder: folder, extractor: ArchiveExtractor(), logger: Logger(label: "test"), label: "ds")
        builder.rename = rename
        return builder
    }

    var inputs: [FilesBuilder.Input] {
        let entry = Receipt.Entry(path: "downloads/labels.csv", url: nil, sha256: "x", bytes: 7, mtime: 0, fetchedAt: "",
                                  pinned: false, bytesTransferred: 0, resumedFrom: 0, attempts: 0, extracted: false)
        return [FilesBuilder.Input(path: folder.downloads.appendingPathComponent("labels.csv"), entry: entry, mode: .none)]
    }

    func stagingFolders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.root.path).filter { $0.hasPrefix(".staging-") }
    }

    func expectClipKept() throws {
        #expect(try String(contentsOf: clip, encoding: .utf8) == "the only copy")
    }

    @Test func rebuildKeepsClips() throws {
        _ = try builder().build(inputs)
        try expectClipKept()
        #expect(try stagingFolders().isEmpty)
    }

    /// A crash after an older version moved the clips into staging, before the swap: `files/` has no clips.
    @Test func recoverMovesClipsBackFromAStagedTree() throws {
        let staged = folder.root.appendingPathComponent(".staging-99999/files")
        try FileManager.default.createDirectory(at: staged, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: folder.files.appendingPathComponent("youtube"), to: staged.appendingPathComponent("youtube"))
        builder().recover()
        try expectClipKept()
        #expect(try stagingFolders().isEmpty)
    }

    /// A crash between setting `files/` aside and renaming the new tree into place.
    @Test func recoverRestoresFilesSetAside() throws {
        let staging = folder.root.appendingPathComponent(".staging-99999")
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("files"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: folder.files, to: staging.appendingPathComponent("old"))
        builder().recover()
        try expectClipKept()
        #expect(FileManager.default.fileExists(atPath: folder.files.appendingPathComponent("labels.csv").path))
        #expect(try stagingFolders().isEmpty)
    }

    /// `files/` went missing (deleted by hand) while a staging folder held the only copy of a clip.
    @Test func recoverRescuesClipsEvenWithoutFiles() throws {
        let staged = folder.root.appendingPathComponent(".staging-99999/files/youtube")
        try FileManager.default.createDirectory(at: staged, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: clip, to: staged.appendingPathComponent("abc_1_2.mp4"))
        try FileManager.default.removeItem(at: folder.files)
        let builder = builder()
        builder.recover()
        try expectClipKept()
        #expect(!builder.isBuilt(inputs: inputs), "clips alone do not make a built files/: it is rebuilt")
        _ = try builder.build(inputs)
        try expectClipKept()
        #expect(builder.isBuilt(inputs: inputs))
    }

    @Test func failedRenameOfFilesAsideKeepsClips() throws {
        let failing = builder { source, target in
            if target.lastPathComponent == "old" { throw FileError(path: target.path, operation: "rename", reason: "injected") }
            try AtomicFile.rename(source, to: target)
        }
        #expect(throws: FileError.self) { try failing.build(inputs) }
        try expectClipKept()
        #expect(try stagingFolders().isEmpty)
    }

    @Test func failedSwapRestoresFilesAndClips() throws {
        let failing = builder { source, target in
            if target == self.folder.files && source.lastPathComponent == "files" {
                throw FileError(path: target.path, operation: "rename", reason: "injected")
            }
            try AtomicFile.rename(source, to: target)
        }
        #expect(throws: FileError.self) { try failing.build(inputs) }
        try expectClipKept()
        #expect(FileManager.default.fileExists(atPath: folder.files.appendingPathComponent("labels.csv").path))
        #expect(try stagingFolders().isEmpty)
    }

    /// When a clip cannot be put back, the staging folder holding it stays for a later run.
    @Test func stagingWithAClipThatCannotBeMovedBackIsKept() throws {
        let staged = folder.root.appendingPathComponent(".staging-99999/files/youtube")
        try FileManager.default.createDirectory(at: staged, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: clip, to: staged.appendingPathComponent("abc_1_2.mp4"))
        let failing = builder { _, target in throw FileError(path: target.path, operation: "rename", reason: "injected") }
        failing.recover()
        #expect(try String(contentsOf: staged.appendingPathComponent("abc_1_2.mp4"), encoding: .utf8) == "the only copy")
    }
}
