import Datasets

/// YouTube clip lists (CSV with id and span columns): clips or a ConfigurationError, and every clip can be named.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClipList(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let list = YouTubeList(lists: ["list.csv"], idColumn: "video_id", startColumn: "kinetics_start", endColumn: "kinetics_end")
    if let clips = try? ClipList.parse(text, list: list, file: "list.csv", manifestFile: "fuzz.yaml") {
        for clip in clips { _ = clip.baseName }
    }
    return 0
}
