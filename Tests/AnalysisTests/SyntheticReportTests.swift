import Analysis
import Biomechanics
import BiomechCore
import Foundation
import Synth
import TestSupport
import XCTest

/// Reports on synthetic sequences, whose reps, faults and risk are known.
final class SyntheticReportTests: XCTestCase {
    static let folder = try! TemporaryFolder("biomech-analysis")
    static let model = try! ModelFixture.checkpoint(in: folder)

    func analyse(_ npy: URL, exercise: String, json: URL? = nil) throws -> Report {
        var options = AnalyzeOptions(model: Self.model.path, source: npy.path)
        options.exercise = exercise
        options.json = json?.path
        return try Analyzer(options: options, console: Console(isTerminal: false)).run()
    }

    func testRepCountIsExactOnEveryExercise() throws {
        for exercise in Exercise.allCases {
            let folder = try TemporaryFolder()
            let (npy, meta) = try AnalysisFixture.synthetic(in: folder) { $0.exercise == exercise && $0.quality == .good }
            let report = try analyse(npy, exercise: exercise.rawValue)
            XCTAssertEqual(report.reps.count, meta.truth.reps.count, "\(exercise) \(meta.id): reps \(report.reps.items.map { [$0.start, $0.end] })")
            XCTAssertEqual(report.reps.items.count, report.reps.count)
        }
    }

    func testExcellentSequencesRaiseNoFormConcern() throws {
        for exercise in Exercise.allCases {
            let folder = try TemporaryFolder()
            let (npy, meta) = try AnalysisFixture.synthetic(in: folder) { $0.exercise == exercise && $0.quality == .excellent }
            let report = try analyse(npy, exercise: exercise.rawValue)
            let form = report.riskAssessment.concerns.filter { $0.kind == "form" }
            XCTAssertEqual(form.map(\.text), [], "\(exercise) \(meta.id) (truth \(meta.truth.formScore))")
            XCTAssertFalse(report.recommendations.contains { rec in rec.because.contains { id in form.contains { $0.id == id } } })
        }
    }

    func testInjectedKneeValgusGivesTheValgusConcernAndItsCue() throws {
        let folder = try TemporaryFolder()
        let (npy, meta) = try AnalysisFixture.synthetic(in: folder) { $0.exercise == .squat && ($0.faults["knee_valgus"] ?? 0) >= 0.7 }
        let report = try analyse(npy, exercise: "squat")
        let valgus = try XCTUnwrap(report.riskAssessment.concerns.first { $0.id == "knee_valgus" }, "\(meta.id): \(report.riskAssessment.concerns.map(\.text))")
        XCTAssertTrue(valgus.text.hasPrefix("knee valgus"), valgus.text)
        XCTAssertFalse(valgus.reps.isEmpty)
        XCTAssertTrue(report.recommendations.contains { $0.id == "knees_out" && $0.because.contains("knee_valgus") })
    }

    func testEveryInjectedFaultOfAPoorSetIsNamed() throws {
        // Each form fault with a rule of the same name, injected grossly, is among the concerns.
        for exercise in [Exercise.squat, .deadlift, .benchPress] {
            let folder = try TemporaryFolder()
            let (npy, meta) = try AnalysisFixture.synthetic(in: folder) { $0.exercise == exercise && $0.quality == .poor }
            let report = try analyse(npy, exercise: exercise.rawValue)
            let ids = Set(report.riskAssessment.concerns.map(\.id))
            let rules = Set(FormRules.rules(for: exercise).map(\.id))
            for (fault, severity) in meta.faults where severity >= 0.85 && rules.contains(fault) {
                XCTAssertTrue(ids.contains(fault), "\(meta.id): \(fault) at \(severity) not among \(ids.sorted())")
            }
        }
    }

    func testTorqueRiskFollowsTheTruth() throws {
        let folder = try TemporaryFolder()
        let (npy, meta) = try AnalysisFixture.synthetic(in: folder) { $0.exercise == .deadlift && $0.quality == .fair }
        var options = AnalyzeOptions(model: Self.model.path, source: npy.path)
        options.exercise = "deadlift"
        options.bodyMass = meta.subject.mass
        let report = try Analyzer(options: options, console: Console(isTerminal: false)).run()
        let truth = meta.truth.overallRisk.max() ?? 0
        XCTAssertEqual(report.riskAssessment.torqueScore, truth, accuracy: 8, "\(meta.id)")
        XCTAssertEqual(report.riskAssessment.level, ["low", "moderate", "high", "very_high"][[30.0, 60, 80].filter { report.riskAssessment.score >= $0 }.count])
    }

    func testTheReportValidatesAgainstTheSchema() throws {
        let folder = try TemporaryFolder()
        let (npy, _) = try AnalysisFixture.synthetic(in: folder) { $0.exercise == .squat && $0.quality == .poor }
        let json = folder("report.json")
        let report = try analyse(npy, exercise: "squat", json: json)
        XCTAssertNil(try ReportSchema.problem(json, in: folder))
        XCTAssertEqual(report.provenance.inputKind, "sequence")
        XCTAssertEqual(report.provenance.framesAnalysed, 300)
        XCTAssertEqual(report.timeline.count, (300 - 60) / 15 + 1)
    }

    func testTheSchemaCatchesAMalformedReport() throws {
        // The validator is live: a report without its score, or with a risk level off the bands, fails.
        let folder = try TemporaryFolder()
        let (npy, _) = try AnalysisFixture.synthetic(in: folder) { $0.exercise == .lunge }
        let json = folder("report.json")
        _ = try analyse(npy, exercise: "lunge", json: json)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        object["overall_score"] = nil
        var risk = try XCTUnwrap(object["risk_assessment"] as? [String: Any])
        risk["level"] = "severe"
        object["risk_assessment"] = risk
        let broken = folder("broken.json")
        try JSONSerialization.data(withJSONObject: object).write(to: broken)
        let problem = try XCTUnwrap(try ReportSchema.problem(broken, in: folder))
        XCTAssertTrue(problem.contains("overall_score"), problem)
        XCTAssertTrue(problem.contains("severe"), problem)
    }
}
