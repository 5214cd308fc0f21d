import Foundation

/// Real archives built by real tools (bsdtar, Python's tarfile and zipfile), benign and malicious.
public enum ArchiveFixtures {
    /// A small tree with nested folders, built under `folder/tree`.
    public static func makeTree(in folder: TemporaryFolder) throws -> URL {
        try folder.write("tree/README.txt", "hello\n")
        try folder.write("tree/videos/squat/a.mp4", pseudoRandomBytes(70_000, seed: 1))
        try folder.write("tree/videos/lunge/b.mp4", pseudoRandomBytes(50_000, seed: 2))
        try folder.write("tree/labels.csv", "video,exercise\na.mp4,squat\nb.mp4,lunge\n")
        return folder("tree")
    }

    /// Archives `tree`'s contents with bsdtar in `format` (`zip`, `7zip`, `ustar`, `pax`) and optional compression flag.
    public static func bsdtar(_ tree: URL, to archive: URL, format: String, compression: String? = nil) throws {
        var arguments = ["--format", format, "-cf", archive.path]
        if let compression { arguments.insert(compression, at: 0) }
        try Tools.require("bsdtar", arguments + ["-C", tree.path, "."])
    }

    /// A tar whose members are described in Python: each is (name, kind, payload) with kind
    /// `file`, `dir`, `symlink` (payload = target), `hardlink` (payload = target), `chardev` or `fifo`.
    public static func tar(_ archive: URL, _ members: [(String, String, String)], compression: String = "") throws {
        let spec = members.map { "(\(pyString($0.0)), \(pyString($0.1)), \(pyString($0.2)))" }.joined(separator: ", ")
        try Tools.python("""
        import io, sys, tarfile
        members = [\(spec)]
        with tarfile.open(sys.argv[1], "w:\(compression)") as t:
            for name, kind, payload in members:
                info = tarfile.TarInfo(name)
                data = None
                if kind == "file":
                    data = payload.encode()
                    info.size = len(data)
                elif kind == "dir": info.type = tarfile.DIRTYPE
                elif kind == "symlink": info.type, info.linkname = tarfile.SYMTYPE, payload
                elif kind == "hardlink": info.type, info.linkname = tarfile.LNKTYPE, payload
                elif kind == "chardev": info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
                elif kind == "fifo": info.type = tarfile.FIFOTYPE
                t.addfile(info, io.BytesIO(data) if data is not None else None)
        """, [archive.path])
    }

    /// A zip with one member whose stored name is `name` (e.g. `../evil.txt` or `/tmp/evil.txt`).
    public static func zip(_ archive: URL, name: String, content: String = "pwned") throws {
        try Tools.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w") as z:
            z.writestr(zipfile.ZipInfo(sys.argv[2]), sys.argv[3])
        """, [archive.path, name, content])
    }

    /// A zip of `megabytes` MiB of zeros (deflated to about 1/1000 of that): a compression-ratio bomb.
    public static func zipBomb(_ archive: URL, megabytes: Int) throws {
        try Tools.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
            with z.open("zeros.bin", "w") as f:
                block = bytes(1 << 20)
                for _ in range(int(sys.argv[2])):
                    f.write(block)
        """, [archive.path, String(megabytes)])
    }

    static func pyString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
