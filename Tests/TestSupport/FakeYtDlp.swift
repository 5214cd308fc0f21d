import Foundation

/// A stand-in for `yt-dlp` on PATH (the real one needs the internet), as a bash script.
///
/// It logs each call's arguments, answers `--flat-playlist --dump-single-json URL` with the listing
/// given by `list(_:entries:)` (an unknown URL fails like a missing channel), and for a
/// `watch?v=ID` URL writes the `-o` file (`fake video ID`, or a copy of a real video) and, with `--write-info-json`, the info
/// JSON given by `info(_:_:)` (else just the id and a title). Ids starting `gone` fail the way
/// YouTube reports a removed video.
public struct FakeYtDlp {
    public let folder: TemporaryFolder
    /// The folder to put first on PATH.
    public var bin: URL { folder("bin") }

    /// With `video`, downloads are that real file remuxed with the id as a tag (so each has its own
    /// bytes, as different videos do), instead of a line of text.
    public init(in folder: TemporaryFolder, video: URL? = nil) throws {
        self.folder = folder
        let log = folder("yt-dlp.log").path, listings = folder("listings").path, infos = folder("info").path
        try folder.write("bin/yt-dlp", """
        #!/bin/bash
        echo "$@" >> "\(log)"
        out=""; url=""; flat=0; info=0
        while [ $# -gt 0 ]; do
          case "$1" in
            -o) out="$2"; shift 2;;
            -f|--merge-output-format|--download-sections|--extractor-args) shift 2;;
            --flat-playlist) flat=1; shift;;
            --write-info-json) info=1; shift;;
            --*) shift;;
            *) url="$1"; shift;;
          esac
        done
        if [ $flat = 1 ]; then
          key=$(printf '%s' "$url" | tr -c 'A-Za-z0-9' '_')
          if [ -f "\(listings)/$key.json" ]; then cat "\(listings)/$key.json"; exit 0; fi
          echo "ERROR: [youtube:tab] $url: This channel does not exist." >&2; exit 1
        fi
        id="${url##*v=}"
        case "$id" in gone*) echo "ERROR: [youtube] $id: Video unavailable. This video has been removed by the uploader" >&2; exit 1;; esac
        f="${out/\\%(ext)s/mp4}"
        \(video.map { "ffmpeg -v error -y -i '\($0.path)' -c copy -metadata \"comment=$id\" \"$f\"" } ?? "printf 'fake video %s' \"$id\" > \"$f\"")
        if [ $info = 1 ]; then
          j="${out/\\%(ext)s/info.json}"
          if [ -f "\(infos)/$id.json" ]; then cp "\(infos)/$id.json" "$j"; else printf '{"id": "%s", "title": "video %s"}' "$id" "$id" > "$j"; fi
        fi
        """)
        chmod(folder("bin/yt-dlp").path, 0o755)
        try FileManager.default.createDirectory(at: folder("listings"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder("info"), withIntermediateDirectories: true)
    }

    /// Makes `--flat-playlist --dump-single-json url` print a playlist of `entries` (yt-dlp's flat entries).
    public func list(_ url: String, entries: [[String: Any]]) throws {
        let key = String(url.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "_" })
        let playlist: [String: Any] = ["_type": "playlist", "id": "PL\(abs(url.hashValue) % 1000)", "title": url, "entries": entries]
        try folder.write("listings/\(key).json", JSONSerialization.data(withJSONObject: playlist))
    }

    /// The info JSON written beside video `id` (yt-dlp's fields: title, uploader, license, upload_date, duration...).
    public func info(_ id: String, _ fields: [String: Any]) throws {
        try folder.write("info/\(id).json", JSONSerialization.data(withJSONObject: fields.merging(["id": id]) { a, _ in a }))
    }

    /// The arguments of every call so far, one line each.
    public var calls: [String] {
        ((try? String(contentsOf: folder("yt-dlp.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
