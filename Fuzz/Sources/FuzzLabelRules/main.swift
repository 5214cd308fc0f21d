import Datasets

/// Label-rule patterns: the input's first line is a glob, the second a regex, the rest a path to label.
///
/// Globs are matched by biomech's own automaton, so any glob against any path must finish in one pass.
/// Regexes are the manifest author's own (trusted configuration, compiled by ICU, which can backtrack
/// without bound on patterns like `(a|a)*b`: docs/MANIFEST.md says so), so they are compiled from the
/// fuzzed text but applied to short paths of the shapes datasets have, as a scan applies them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabelRules(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3 else { return 0 }
    let (glob, regex, path) = (parts[0], parts[1], parts[2])
    let vocabulary = ExerciseVocabulary(names: ["squat", "lunge"], aliases: ["back_squat": "squat"])
    _ = PathGlob(glob).matches(path)
    let globs = LabelSpec(exercise: [LabelRule(glob: glob, value: "squat")], quality: [LabelRule(tokens: true)])
    if let rules = try? LabelRules(dataset: "fuzz", spec: globs, vocabulary: vocabulary, manifestPath: "fuzz.yaml") {
        _ = rules.labels(for: path)
    }
    let regexes = LabelSpec(exercise: [LabelRule(regex: regex)], quality: [LabelRule(regex: regex, on: .filename)],
                            group: [GroupRule(regex: regex)])
    if let rules = try? LabelRules(dataset: "fuzz", spec: regexes, vocabulary: vocabulary, manifestPath: "fuzz.yaml") {
        for sample in ["squat/subject1_good.mp4", "youtube/abcdefghijk_10_20.mp4", "Push-Ups/s03 take 2 (poor).MOV"] {
            _ = rules.labels(for: sample)
        }
    }
    _ = ExerciseVocabulary.normalize(path)
    _ = vocabulary.canonical(path)
    return 0
}
