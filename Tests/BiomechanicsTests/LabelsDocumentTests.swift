import Biomechanics
import Foundation
import Testing

/// docs/LABELS.md is the definition; the code must say the same.
@Suite struct LabelsDocumentTests {
    static let document: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/LABELS.md")
        return (try? String(contentsOf: url.standardized, encoding: .utf8)) ?? ""
    }()

    func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }

    @Test func ruleTableMatchesTheCode() {
        var rows = 0
        for exercise in Exercise.allCases {
            for rule in FormRules.rules(for: exercise) {
                let feature = "\(rule.feature)".split(separator: ".").last.map(String.init) ?? ""
                let row = "| \(exercise.rawValue) | \(rule.id) | \(feature) | \(rule.unit) | \(number(rule.ok)) | \(number(rule.worst)) | \(number(rule.penalty)) |"
                #expect(Self.document.contains(row), "missing or different in docs/LABELS.md: \(row)")
                rows += 1
            }
        }
        let documented = Self.document.split(separator: "\n").filter { line in
            Exercise.allCases.contains { line.hasPrefix("| \($0.rawValue) |") }
        }
        #expect(documented.count == rows, "the document lists rules the code does not have")
    }

    @Test func landmarkNamesMatch() {
        for l in Landmark.allCases { #expect(Self.document.contains("| \(l.rawValue) | \(l.name) |")) }
    }

    @Test func safeMomentsMatch() {
        let flowing = Self.document.replacingOccurrences(of: "\n", with: " ")
        #expect(flowing.contains("knee 300 N·m, hip 350 N·m, lumbar 350 N·m, shoulder 90 N·m, elbow 70 N·m"))
        #expect(RiskModel.Joint.leftKnee.maxSafeMoment == 300 && RiskModel.Joint.lumbar.maxSafeMoment == 350)
        #expect(RiskModel.Joint.leftHip.maxSafeMoment == 350 && RiskModel.Joint.rightShoulder.maxSafeMoment == 90)
        #expect(RiskModel.Joint.leftElbow.maxSafeMoment == 70)
    }
}
