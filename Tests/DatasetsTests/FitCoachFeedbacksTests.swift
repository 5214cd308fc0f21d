@testable import Datasets
import Foundation
import NumPy
import Testing
import TestSupport

/// QEVD-FIT-COACH's feedbacks file, built from the authors' loader's description of it.
@Suite struct FitCoachFeedbacksTests {
    static let vocabulary = ExerciseVocabulary(names: ["squat", "pushup"], aliases: ["squats": "squat", "push_ups": "pushup"])

    /// 12 frames at 0.5 s: squats from frame 1, push-ups from frame 6, the session ends at frame 10.
    static var record: [String: Any] { [
        "long_range_video_file": "videos/w1.mp4", "video_timestamps": "timestamps/w1.npy",
        "feedbacks": ["", "First up are squats!", "First up are squats!", "", "Go lower", "Go lower",
                      "Moving on to push ups!", "Nice form", "", "", "Great job, that's the end!", ""],
        "feedback_timestamps": [1.0, 2.0, 3.0, 4.0, 5.0], "is_transition": [true, false, true, false, true],
    ] }

    @Test func spansAndExercisesFollowTheAuthorsLoader() throws {
        #expect(FitCoachFeedbacks.spans(["", "a", "a", "b", "", "c"]) == [.init(text: "a", first: 1, last: 2), .init(text: "b", first: 3, last: 3),
                                                                          .init(text: "c", first: 5, last: 5)])
        let parsed = try FitCoachFeedbacks(JSONSerialization.data(withJSONObject: [Self.record]), file: "f.json")
        let workout = try #require(parsed.workouts.first)
        #expect(workout.exercises.map(\.name) == ["squats", "push ups"])
        #expect(workout.exercises.map(\.first) == [1, 6] && workout.exercises.map(\.last) == [5, 9])
        var bad = Self.record
        bad["is_transition"] = [true]
        #expect(throws: Spreadsheet.ReadError.self) { try FitCoachFeedbacks(JSONSerialization.data(withJSONObject: [bad]), file: "f.json") }
        #expect(throws: Spreadsheet.ReadError.self) { try FitCoachFeedbacks(Data("{}".utf8), file: "f.json") }
    }

    @Test func feedbacksBecomeSpansInSecondsOfTheVideo() throws {
        let work = try TemporaryFolder()
        let folder = work("files/QEVD-FIT-COACH")
        try work.write("files/QEVD-FIT-COACH/feedbacks_long_range.json", JSONSerialization.data(withJSONObject: [Self.record]))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("timestamps"), withIntermediateDirectories: true)
        let start: Int64 = 1_700_000_000_000_000_000
        try NPYFile.write(NPYTypedArray(shape: [12], values: (0..<12).map { start + Int64($0) * 500_000_000 }),
                          to: folder.appendingPathComponent("timestamps/w1.npy"))
        let index = AnnotationIndex(sources: [AnnotationSource(format: .qevdFitCoachJSON, files: ["**/feedbacks_long_range.json"])],
                                    filesFolder: work("files"), videos: ["QEVD-FIT-COACH/videos/w1.mp4", "QEVD-FIT-COACH/videos/other.mp4"],
                                    vocabulary: Self.vocabulary)
        #expect(index.warnings.isEmpty, "\(index.warnings)")
        let facts = try #require(index.byVideo["QEVD-FIT-COACH/videos/w1.mp4"])
        let exercises = facts.filter { $0.kind == "exercise_span" }
        #expect(exercises.map(\.value) == ["squat", "pushup"], "through the catalog's aliases")
        #expect(exercises.map(\.start) == [0.5, 3.0] && exercises.map(\.end) == [2.5, 4.5])
        let feedback = facts.filter { $0.kind == "feedback" }
        #expect(feedback.map(\.value) == ["Go lower", "Nice form"] && feedback.map(\.start) == [2.0, 3.5])
        #expect(facts.allSatisfy { $0.sourceFile == "QEVD-FIT-COACH/feedbacks_long_range.json" && $0.line == 1 })
        #expect(index.exercise.isEmpty, "a workout of two exercises labels no single exercise")
        #expect(index.byVideo["QEVD-FIT-COACH/videos/other.mp4"] == nil)
    }
}
