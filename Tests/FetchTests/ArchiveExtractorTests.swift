import BiomechCore
import CArchive
@testable import Fetch
import Foundation
import Testing
import TestSupport

/// Real archives built by bsdtar and Python, unpacked by libarchive; malicious ones must be refused.
@Suite struct ArchiveExtractorTests {
    let folder: TemporaryFolder
    /// Extraction happens in `sandbox/target`; anything else appearing in `sandbox` is an escape.
    let target: URL

    init() throws {
        folder = try TemporaryFolder()
        target = folder("sandbox/target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    }

    func sandboxListing() throws -> [String] {
        (FileManager.default.enumerator(atPath: folder("sandbox").path)?.allObjects as? [String] ?? []).sorted()
    }

    func expectTreeExtracted() throws {
        #expect(try String(contentsOf: target.appendingPathComponent("README.txt"), encoding: .utf8) == "hello\n")
        #expect(try Data(contentsOf: target.appendingPathComponent("videos/squat/a.mp4")) == pseudoRandomBytes(70_000, seed: 1))
        #expect(try Data(contentsOf: target.appendingPathComponent("videos/lunge/b.mp4")) == pseudoRandomBytes(50_000, seed: 2))
    }

    @Test(arguments: [
        ("tree.zip", "zip", nil), ("tree.tar", "pax", nil), ("tree.tar.gz", "pax", "-z"), ("tree.tar.bz2", "pax", "-j"),
        ("tree.tar.xz", "pax", "-J"), ("tree.tar.zst", "pax", "--zstd"), ("tree.7z", "7zip", nil),
    ] as [(String, String, String?)])
    func unpacksEachFormat(name: String, format: String, compression: String?) throws {
        let tree = try ArchiveFixtures.makeTree(in: folder)
        let archive = folder(name)
        try ArchiveFixtures.bsdtar(tree, to: archive, format: format, compression: compression)
        #expect(ArchiveExtractor.isArchive(archive.path))
        let summary = try ArchiveExtractor().extract(archive.path, into: target.path)
        #expect(summary.bytes == 6 + 70_000 + 50_000 + 39)
        try expectTreeExtracted()
    }

    @Test func detectsArchivesByContentNotJustName() throws {
        let tree = try ArchiveFixtures.makeTree(in: folder)
        let archive = folder("download.bin")
        try ArchiveFixtures.bsdtar(tree, to: archive, format: "zip")
        #expect(ArchiveExtractor.isArchive(archive.path))
        let video = try folder.write("clip.mp4", pseudoRandomBytes(10_000))
        #expect(!ArchiveExtractor.isArchive(video.path))
    }

    @Test func unpacksALoneCompressedFile() throws {
        try folder.write("labels.csv", "a,b\n1,2\n")
        try Tools.require("gzip", ["-k", folder("labels.csv").path])
        try ArchiveExtractor().extract(folder("labels.csv.gz").path, into: target.path)
        #expect(try String(contentsOf: target.appendingPathComponent("labels.csv"), encoding: .utf8) == "a,b\n1,2\n")
    }

    @Test func keepsLinksThatStayInside() throws {
        let archive = folder("links.tar")
        try ArchiveFixtures.tar(archive, [("data/a.txt", "file", "A"), ("data/link.txt", "symlink", "a.txt"),
                                          ("up.txt", "symlink", "data/../data/a.txt"), ("hard.txt", "hardlink", "data/a.txt")])
        try ArchiveExtractor().extract(archive.path, into: target.path)
        #expect(try String(contentsOf: target.appendingPathComponent("data/link.txt"), encoding: .utf8) == "A")
        #expect(try String(contentsOf: target.appendingPathComponent("up.txt"), encoding: .utf8) == "A")
        #expect(try String(contentsOf: target.appendingPathComponent("hard.txt"), encoding: .utf8) == "A")
    }

    func expectRefused(_ archive: URL, entry: String, reason: String, limits: ExtractionLimits = ExtractionLimits()) throws {
        do {
            try ArchiveExtractor(limits: limits).extract(archive.path, into: target.path)
            Issue.record("\(archive.lastPathComponent) was not refused")
        } catch let error as ArchiveError {
            #expect(error.entry == entry)
            #expect(error.description.contains(archive.lastPathComponent))
            #expect(error.description.contains(reason), "\(error.description)")
        }
        // Nothing may appear outside the target folder.
        #expect(try sandboxListing().allSatisfy { $0 == "target" || $0.hasPrefix("target/") })
    }

    @Test func refusesZipSlip() throws {
        let archive = folder("slip.zip")
        try ArchiveFixtures.zip(archive, name: "../evil.txt")
        try expectRefused(archive, entry: "../evil.txt", reason: "'..'")
    }

    @Test func refusesTarSlipDeepInside() throws {
        let archive = folder("slip.tar.gz")
        try ArchiveFixtures.tar(archive, [("ok.txt", "file", "fine"), ("a/b/../../../evil.txt", "file", "x")], compression: "gz")
        try expectRefused(archive, entry: "a/b/../../../evil.txt", reason: "'..'")
    }

    @Test func refusesAbsolutePath() throws {
        let escape = folder("sandbox/absolute-evil.txt").path
        let archive = folder("absolute.tar")
        try ArchiveFixtures.tar(archive, [(escape, "file", "x")])
        try expectRefused(archive, entry: escape, reason: "absolute")
        #expect(!FileManager.default.fileExists(atPath: escape))
    }

    @Test func refusesAbsolutePathInZip() throws {
        let escape = folder("sandbox/zip-absolute.txt").path
        let archive = folder("absolute.zip")
        try ArchiveFixtures.zip(archive, name: escape)
        try expectRefused(archive, entry: escape, reason: "absolute")
    }

    @Test func refusesSymlinkEscapingTarget() throws {
        let archive = folder("symlink.tar")
        try ArchiveFixtures.tar(archive, [("link", "symlink", "../.."), ("link/evil.txt", "file", "x")])
        try expectRefused(archive, entry: "link", reason: "outside")
    }

    @Test func refusesAbsoluteSymlink() throws {
        let archive = folder("symlink-abs.tar")
        try ArchiveFixtures.tar(archive, [("passwd", "symlink", "/etc/passwd")])
        try expectRefused(archive, entry: "passwd", reason: "outside")
    }

    @Test func refusesSymlinkChainEscape() throws {
        // d -> . and e -> d/.. look harmless one by one; together e points at the parent.
        let archive = folder("chain.tar")
        try ArchiveFixtures.tar(archive, [("d", "symlink", "."), ("e", "symlink", "d/..")])
        try expectRefused(archive, entry: "e", reason: "outside")
    }

    @Test func refusesSymlinkChainEscapeInReverseOrder() throws {
        // e is unpacked before d exists; the check after extraction still catches it.
        let archive = folder("chain2.tar")
        try ArchiveFixtures.tar(archive, [("e", "symlink", "d/.."), ("d", "symlink", ".")])
        try expectRefused(archive, entry: "e", reason: "outside")
    }

    @Test func refusesWritingThroughAnInsideLinkToOutside() throws {
        let archive = folder("through.tar")
        try ArchiveFixtures.tar(archive, [("d", "symlink", "."), ("d/../evil.txt", "file", "x")])
        try expectRefused(archive, entry: "d/../evil.txt", reason: "'..'")
    }

    @Test func refusesHardlinkOutside() throws {
        let archive = folder("hard.tar")
        try ArchiveFixtures.tar(archive, [("h", "hardlink", "../../outside.txt")])
        try expectRefused(archive, entry: "h", reason: "hard link")
    }

    @Test func refusesDeviceFiles() throws {
        let archive = folder("dev.tar")
        try ArchiveFixtures.tar(archive, [("null", "chardev", "")])
        try expectRefused(archive, entry: "null", reason: "device")
        let fifo = folder("fifo.tar")
        try ArchiveFixtures.tar(fifo, [("pipe", "fifo", "")])
        try expectRefused(fifo, entry: "pipe", reason: "FIFO")
    }

    @Test func refusesCompressionRatioBomb() throws {
        let archive = folder("bomb.zip")
        try ArchiveFixtures.zipBomb(archive, megabytes: 64)
        try expectRefused(archive, entry: "zeros.bin", reason: "zip bomb")
    }

    @Test func refusesArchiveOverTotalSizeCap() throws {
        let tree = try ArchiveFixtures.makeTree(in: folder)
        let archive = folder("tree.tar")
        try ArchiveFixtures.bsdtar(tree, to: archive, format: "pax")
        var limits = ExtractionLimits()
        limits.maxBytes = 100_000
        do {
            try ArchiveExtractor(limits: limits).extract(archive.path, into: target.path)
            Issue.record("not refused")
        } catch let error as ArchiveError {
            #expect(error.description.contains("--max-extract-size"))
        }
    }

    @Test func truncatedArchiveFailsClearly() throws {
        let tree = try ArchiveFixtures.makeTree(in: folder)
        let archive = folder("tree.tar.gz")
        try ArchiveFixtures.bsdtar(tree, to: archive, format: "pax", compression: "-z")
        let data = try Data(contentsOf: archive)
        try data.prefix(data.count / 2).write(to: archive)
        #expect(throws: ArchiveError.self) { try ArchiveExtractor().extract(archive.path, into: target.path) }
    }
}

extension ArchiveExtractorTests {
    @Test func refusesWritingThroughALinkThatLaterEscapes() throws {
        // e -> d/.. is harmless while d does not exist; once d -> . exists, e/x would land outside.
        let archive = folder("late.tar")
        try ArchiveFixtures.tar(archive, [("e", "symlink", "d/.."), ("d", "symlink", "."), ("e/evil.txt", "file", "x")])
        try expectRefused(archive, entry: "e/evil.txt", reason: "outside")
    }

    @Test func refusesOverwritingALinkThatLaterEscapes() throws {
        let archive = folder("late2.tar")
        try ArchiveFixtures.tar(archive, [("a", "symlink", "d/../evil.txt"), ("d", "symlink", "."), ("a", "file", "x")])
        try expectRefused(archive, entry: "a", reason: "outside")
    }
}

/// Values libarchive or the limits can hand back that once trapped: NULL strings, an infinite ratio.
extension ArchiveExtractorTests {
    @Test func symlinkWithoutTargetIsRefusedNamingTheEntry() throws {
        // libarchive returns NULL, not "", for a tar symlink whose linkname is blank.
        let archive = folder("empty-link.tar")
        try ArchiveFixtures.tar(archive, [("dir/empty-link", "symlink", "")])
        try expectRefused(archive, entry: "dir/empty-link", reason: "symbolic link has no target")
    }

    @Test func infiniteRatioStillReportsTheSizeCap() throws {
        let tree = try ArchiveFixtures.makeTree(in: folder)
        let archive = folder("tree.tar")
        try ArchiveFixtures.bsdtar(tree, to: archive, format: "pax")
        var limits = ExtractionLimits()
        limits.maxBytes = 100_000
        limits.maxRatio = .infinity
        #expect { try ArchiveExtractor(limits: limits).extract(archive.path, into: target.path) } throws: { error in
            "\(error)".contains("--max-ratio inf")
        }
    }

    @Test func errorTextNeverTrapsOnAMissingMessage() {
        let handle = archive_read_new()
        defer { archive_read_free(handle) }
        #expect(ArchiveExtractor.errorText(handle) == "libarchive gave no reason")
        #expect(ArchiveExtractor.errorText(nil) == "no libarchive handle")
    }
}
