import Datasets

/// Label-rule patterns: the input's first line is a glob, the second a regex, the rest a path to label.
/// Compiling may fail with a ConfigurationError; labelling any path with what compiled must not trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabelRules(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3 else { return 0 }
    let (glob, regex, path) = (parts[0], parts[1], parts[2])
    let vocabulary = ExerciseVocabulary(names: ["squat", "lunge"], aliases: ["back_squat": "squat"])
    let spec = LabelSpec(exercise: [LabelRule(glob: glob, value: "squat"), LabelRule(regex: regex)],
                         quality: [LabelRule(tokens: true), LabelRule(regex: regex, on: .filename)],
                         group: [GroupRule(regex: regex)])
    if let rules = try? LabelRules(dataset: "fuzz", spec: spec, vocabulary: vocabulary, manifestPath: "fuzz.yaml") {
        _ = rules.labels(for: path)
    }
    _ = ExerciseVocabulary.normalize(path)
    _ = vocabulary.canonical(path)
    return 0
}
