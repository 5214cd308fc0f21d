import Analysis
import Foundation

/// The analysis's inputs besides the video: query parameters, or small fields of the multipart form.
struct AnalysisParameters: Sendable, Equatable {
    var exercise = "auto"
    var bodyMass = 75.0
    var load: Double?
    var annotated = false

    static let names = ["exercise", "body_mass", "load", "annotated"]

    /// Reads `values`; `from` names where they came from in messages ("query parameter", "form field").
    mutating func read(_ values: [String: String], from place: String) throws {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "exercise":
                do { _ = try Analyzer.resolveExercise(value) } catch let error as AnalysisError {
                    throw ServiceError.badRequest("bad_parameter", error.message.replacingOccurrences(of: "--exercise", with: "\(place) exercise"))
                }
                exercise = value
            case "body_mass":
                guard let kg = Double(value), kg.isFinite, kg > 0, kg < 500 else {
                    throw ServiceError.badRequest("bad_parameter", "\(place) body_mass '\(value)': expected a body mass in kg, more than 0 and below 500")
                }
                bodyMass = kg
            case "load":
                guard let kg = Double(value), kg.isFinite, kg >= 0, kg < 1000 else {
                    throw ServiceError.badRequest("bad_parameter", "\(place) load '\(value)': expected an external load in kg, 0 or more and below 1000")
                }
                load = kg
            case "annotated":
                switch value.lowercased() {
                case "true", "1", "yes": annotated = true
                case "false", "0", "no", "": annotated = false
                default: throw ServiceError.badRequest("bad_parameter", "\(place) annotated '\(value)': expected true or false")
                }
            default:
                throw ServiceError.badRequest("unknown_parameter", "unknown \(place) '\(name)'; expected \(Self.names.joined(separator: ", "))")
            }
        }
    }
}
