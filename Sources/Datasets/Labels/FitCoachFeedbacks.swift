import Foundation
import NumPy

/// QEVD-FIT-COACH's `feedbacks_long_range.json`: per workout video, a coach's feedback for every
/// frame, and which feedbacks announce the next exercise.
///
/// The format, as the authors' loader reads it (github.com/Qualcomm-AI-research/FitCoach,
/// `src/fitness_datasets/fitcoach.py`): a list of records with `long_range_video_file` (.mp4) and
/// `video_timestamps` (.npy of per-frame times in nanoseconds), both relative to the JSON's folder;
/// `feedbacks`, one string per frame (a feedback repeats over the frames it lasts, "" between);
/// `feedback_timestamps`, one per feedback; and `is_transition`, one flag per feedback. A
/// transition reads "First up are squats!" or "Moving on to <exercise>!"; the last one closes the
/// session. Each exercise lasts from its transition to the next one.
public struct FitCoachFeedbacks: Sendable, Equatable {
    /// One run of equal, non-empty feedback over frames `first...last`.
    public struct Span: Sendable, Equatable {
        public var text: String
        public var first: Int, last: Int
    }

    public struct Workout: Sendable, Equatable {
        public var video: String
        public var timestamps: String
        public var spans: [Span]
        public var transitions: [Bool]

        /// The exercises in order, each with the index of its first and last frame (the frame
        /// before the next transition starts), the session's closing transition left out.
        public var exercises: [(name: String, first: Int, last: Int)] {
            let starts = spans.indices.filter { transitions.indices.contains($0) && transitions[$0] }
            return zip(starts, starts.dropFirst()).map { a, b in
                (FitCoachFeedbacks.exerciseName(spans[a].text), spans[a].first, spans[b].first - 1)
            }
        }
    }

    public var workouts: [Workout]

    private struct Record: Decodable {
        var long_range_video_file: String
        var video_timestamps: String
        var feedbacks: [String]
        var feedback_timestamps: [Double]?
        var is_transition: [Bool]
    }

    /// Reads the JSON text; `file` names it in errors.
    public init(_ data: Data, file: String) throws {
        let records: [Record]
        do { records = try JSONDecoder().decode([Record].self, from: data) } catch {
            throw Spreadsheet.ReadError(file: file, message: "not QEVD-FIT-COACH feedbacks (a list of records with long_range_video_file, "
                                        + "video_timestamps, feedbacks, is_transition): \(error)")
        }
        workouts = try records.enumerated().map { i, r in
            let spans = Self.spans(r.feedbacks)
            guard spans.count == r.is_transition.count else {
                throw Spreadsheet.ReadError(file: file, message: "record \(i) (\(r.long_range_video_file)): \(spans.count) feedbacks but \(r.is_transition.count) is_transition flags")
            }
            return Workout(video: r.long_range_video_file, timestamps: r.video_timestamps, spans: spans, transitions: r.is_transition)
        }
    }

    /// Runs of equal non-empty strings, as the authors' `get_feedback_span` finds them.
    static func spans(_ frames: [String]) -> [Span] {
        var spans: [Span] = []
        var current: (text: String, first: Int)?
        for (i, text) in frames.enumerated() {
            if let c = current, c.text != text { spans.append(Span(text: c.text, first: c.first, last: i - 1)); current = nil }
            if !text.isEmpty, current == nil { current = (text, i) }
        }
        if let c = current { spans.append(Span(text: c.text, first: c.first, last: frames.count - 1)) }
        return spans
    }

    /// "First up are squats!" is "squats"; "Moving on to high knees!" is "high knees".
    public static func exerciseName(_ transition: String) -> String {
        transition.replacingOccurrences(of: "First up are ", with: "").replacingOccurrences(of: "Moving on to ", with: "")
            .replacingOccurrences(of: "!", with: "").trimmingCharacters(in: .whitespaces)
    }

    /// Seconds from the first frame, from a `video_timestamps` .npy of nanoseconds (int64 or float64).
    public static func seconds(_ url: URL) throws -> [Double] {
        let raw: [Double]
        if let ints = try? NPYFile.read(url, as: Int64.self) { raw = ints.values.map(Double.init) }
        else { raw = try NPYFile.read(url, as: Double.self).values }
        guard let t0 = raw.first else { return [] }
        return raw.map { ($0 - t0) / 1e9 }
    }
}

extension AnnotationIndex {
    /// QEVD-FIT-COACH: each workout's exercises and feedbacks, as spans in seconds of its video.
    mutating func addFitCoach(_ url: URL, relative: String, videos: Set<String>, vocabulary: ExerciseVocabulary) {
        let folder = (relative as NSString).deletingLastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url) } catch { warnings.append("\(url.path): cannot read (\(error.localizedDescription))"); return }
        let parsed: FitCoachFeedbacks
        do { parsed = try FitCoachFeedbacks(data, file: url.path) } catch { warnings.append("\(error)"); return }
        // JSON has no lines: a fact's `line` is its record's position in the list, from 1.
        for (index, workout) in parsed.workouts.enumerated() {
            let video = folder.isEmpty ? workout.video : folder + "/" + workout.video
            guard videos.contains(video) else { continue }
            let timesFile = url.deletingLastPathComponent().appendingPathComponent(workout.timestamps)
            let times: [Double]
            do { times = try FitCoachFeedbacks.seconds(timesFile) } catch {
                warnings.append("\(timesFile.path): cannot read the video's frame times (\(error)); its feedback spans are left out")
                continue
            }
            func time(_ frame: Int) -> Double? { times.indices.contains(frame) ? times[frame] : nil }
            var facts: [Annotation] = []
            let names = workout.exercises
            for e in names {
                facts.append(Annotation(kind: "exercise_span", value: vocabulary.canonical(e.name) ?? e.name, start: time(e.first), end: time(e.last),
                                        sourceFile: relative, line: index + 1))
            }
            for (span, transition) in zip(workout.spans, workout.transitions) where !transition {
                facts.append(Annotation(kind: "feedback", value: span.text, start: time(span.first), end: time(span.last), sourceFile: relative, line: index + 1))
            }
            byVideo[video, default: []] += facts
            // A workout of one exercise labels its video; several leave it to the spans.
            let canonical = Set(names.compactMap { vocabulary.canonical($0.name) })
            if names.count == 1, let only = canonical.first { exercise[video] = only }
        }
    }
}
