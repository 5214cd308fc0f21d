@testable import Datasets
import Testing

/// Label rules, the vocabulary and globs, without videos.
@Suite struct LabelRuleTests {
    static let vocabulary = ExerciseVocabulary(
        names: ["squat", "pushup", "barbell_row", "mountain_climber", "bench_press", "overhead_press"],
        aliases: ["push_up": "pushup", "back_squat": "squat", "mountain_climber_exercise": "mountain_climber", "ohp": "overhead_press",
                  "bench_pressing": "bench_press"])

    @Test(arguments: [("Push-Up", "pushup"), ("push ups", nil), ("BackSquat", "squat"), ("back squat", "squat"), ("SQUAT", "squat"),
                      ("mountain climber (exercise)", "mountain_climber"), ("BarbellRow", "barbell_row"), ("OHP", "overhead_press"),
                      ("bench pressing", "bench_press"), ("juggling", nil), ("", nil)] as [(String, String?)])
    func aliasesMapToCanonicalNames(spelling: String, expected: String?) {
        #expect(Self.vocabulary.canonical(spelling) == expected)
    }

    @Test func globsMatchWithinAndAcrossFolders() throws {
        func matches(_ glob: String, _ path: String) -> Bool { PathGlob(glob).matches(path) }
        #expect(matches("squat/*.mp4", "squat/a.mp4") && !matches("squat/*.mp4", "squat/x/a.mp4"))
        #expect(matches("**/*.mp4", "a.mp4") && matches("**/*.mp4", "x/y/a.mp4") && !matches("**/*.mp4", "a.mov"))
        #expect(matches("v?.mp4", "v1.mp4") && !matches("v?.mp4", "v10.mp4") && matches("a+b.mp4", "a+b.mp4"))
    }

    @Test func globEdgeCases() {
        #expect(PathGlob("**").matches("") && PathGlob("**").matches("a/b/c") && PathGlob("*").matches("") && !PathGlob("*").matches("a/b"))
        #expect(PathGlob("a/**/b.mp4").matches("a/b.mp4") && PathGlob("a/**/b.mp4").matches("a/x/y/b.mp4") && !PathGlob("a/**/b.mp4").matches("ab.mp4"))
        #expect(PathGlob("**.mp4").matches("x/y.mp4") && PathGlob("***/*.mp4").matches("x/y.mp4"), "three stars act as two")
        #expect(PathGlob("é?.mp4").matches("éa.mp4") && !PathGlob("?").matches("/"))
        #expect(PathGlob("[a].mp4").matches("[a].mp4") && !PathGlob("[a].mp4").matches("a.mp4"), "brackets are literal")
    }

    /// The fuzzer's timeout: as a regex, 33 stars against a path that does not match backtracked for minutes.
    @Test func manyStarsMatchInOnePass() {
        let glob = String(repeating: "*", count: 33) + "\u{d1}**T*???\na"
        let path = String(repeating: "a", count: 300)
        #expect(!PathGlob(glob).matches(path))
        #expect(PathGlob(String(repeating: "*?", count: 40) + "b").matches(String(repeating: "a", count: 200) + "b"))
    }

    @Test func firstMatchingRuleWinsAndSourcesAreRecorded() throws {
        let spec = LabelSpec(
            exercise: [LabelRule(glob: "special/**", value: "bench_press"), LabelRule(regex: "^(?<label>[^/]+)/"),
                       LabelRule(regex: "(?<label>squat)", on: .filename)],
            quality: [LabelRule(tokens: true), LabelRule(regex: "^(?<label>good|poor)/")],
            group: [GroupRule(regex: "(?<key>subject\\d+)")])
        let rules = try LabelRules(dataset: "d", spec: spec, vocabulary: Self.vocabulary, manifestPath: "d.yaml")
        let special = rules.labels(for: "special/Push-Up/subject4_poor.mp4")
        #expect(special.exercise == "bench_press" && special.exerciseSource == .pathRule)
        #expect(special.quality == "poor" && special.qualitySource == .filenameRule && special.groupKey == "d:subject4")
        let byName = rules.labels(for: "misc/my_squat.mp4")
        #expect(byName.exercise == "squat" && byName.exerciseSource == .filenameRule, "'misc' is not an exercise: the next rule matches")
        let byFolder = rules.labels(for: "good/x.mp4")
        #expect(byFolder.quality == "good" && byFolder.qualitySource == .pathRule && byFolder.groupKey == "d:good/x")
        #expect(rules.labels(for: "x/good_or_poor.mp4").quality == nil, "two levels in one name: nothing is guessed")
    }

    @Test func anUnknownExerciseInARuleIsAConfigurationError() {
        let spec = LabelSpec(exercise: [LabelRule(glob: "**", value: "handstand")])
        #expect(throws: Error.self) { try LabelRules(dataset: "d", spec: spec, vocabulary: Self.vocabulary, manifestPath: "d.yaml") }
    }
}

/// Path arithmetic without Foundation's NSString, which traps on `a//é` on Linux.
@Suite struct PathTextTests {
    @Test(arguments: [("a/b.mp4", "b.mp4", "a/b", "b"), ("b.mp4", "b.mp4", "b", "b"), ("a/b/", "b", "a/b/", "b"),
                      ("a/.hidden", ".hidden", "a/.hidden", ".hidden"), ("a.b/c", "c", "a.b/c", "c"), ("", "", "", ""),
                      ("x/y//é", "é", "x/y//é", "é"), ("s1.take.2.MOV", "s1.take.2.MOV", "s1.take.2", "s1.take.2")])
    func componentsAndExtensions(path: String, last: String, withoutExtension: String, stem: String) {
        #expect(PathText.lastComponent(path) == last)
        #expect(PathText.deletingExtension(path) == withoutExtension)
        #expect(PathText.stem(path) == stem)
    }

    @Test func extensions() {
        #expect(PathText.pathExtension("a/b.mp4") == "mp4" && PathText.pathExtension("a/.hidden") == "" && PathText.pathExtension("x.y/z") == "")
    }

    /// The fuzzer's crash input: labelling this path trapped inside NSString.lastPathComponent before the fix.
    @Test func theFuzzersPathLabelsWithoutTrapping() throws {
        let rules = try LabelRules(dataset: "d", spec: LabelSpec(exercise: [LabelRule(glob: "**/**?*/4", value: "squat")],
                                                               quality: [LabelRule(tokens: true)]),
                                   vocabulary: LabelRuleTests.vocabulary, manifestPath: "d.yaml")
        let labels = rules.labels(for: "*/*mp(5//\u{FFFD}")
        #expect(labels.exercise == nil && labels.groupKey == "d:*/*mp(5//\u{FFFD}")
    }
}
