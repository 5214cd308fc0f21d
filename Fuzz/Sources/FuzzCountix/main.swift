import Datasets

/// Countix annotation CSV: facts and warnings, never a trap, whatever the numbers say.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCountix(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let vocabulary = ExerciseVocabulary(names: ["squat", "lunge", "pushup"], aliases: ["push_up": "pushup"])
    var index = AnnotationIndex()
    let clips = ["abcdefghijk_10_20": "youtube/abcdefghijk_10_20.mp4", "abcdefghijk": "youtube/abcdefghijk.mp4"]
    index.addCountix(text, file: "countix.csv", relative: "countix.csv", clipPaths: clips, vocabulary: vocabulary)
    return 0
}
