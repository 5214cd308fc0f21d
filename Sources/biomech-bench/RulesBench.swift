import Analysis
import ArgumentParser
import Biomechanics
import BiomechCore
import Foundation
import Synth

/// How the report's rules and rep counter do on synthetic sequences whose truth is known.
struct RulesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze-rules",
        abstract: "biomech-analyze on synthetic sequences (seed 42, detector noise, exercise forced): rep counts, false and named faults.",
        discussion: "The figures of docs/REPORT.md, \"How well the rules and the rep counter do\". Not a speed benchmark.")

    @Option(help: "Scratch folder.")
    var work = "bench-work"
    @Option(help: "Sequences, from index 0.")
    var count = 200
    @Option(help: "Frames per sequence.")
    var frames = 300

    func run() throws {
        let folder = URL(fileURLWithPath: work).appendingPathComponent("analyze-rules")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let model = try AnalyzeBench.initialCheckpoint(in: folder)
        var synth = SynthOptions()
        synth.frames = frames
        var exactReps = 0, excellent = 0, falseAlarms: [String: Int] = [:], excellentWithConcern = 0
        var injected: [String: Int] = [:], named: [String: Int] = [:]
        for index in 0..<count {
            let sequence = SequenceGenerator.generate(index: index, options: synth)
            try SynthWriter.write(sequence, to: folder)
            let meta = sequence.metadata
            var options = AnalyzeOptions(model: model.path, source: folder.appendingPathComponent(sequence.id + ".npy").path)
            options.exercise = meta.exercise.rawValue
            let report = try Analyzer(options: options, console: Console(isTerminal: false)).run()
            if report.reps.count == meta.truth.reps.count { exactReps += 1 }
            let concerns = Set(report.riskAssessment.concerns.filter { $0.kind == "form" }.map(\.id))
            if meta.quality == .excellent {
                excellent += 1
                if !concerns.isEmpty { excellentWithConcern += 1 }
                for id in concerns { falseAlarms[id, default: 0] += 1 }
            }
            let rules = Set(FormRules.rules(for: meta.exercise).map(\.id))
            for (fault, severity) in meta.faults where severity >= 0.5 {
                // The generator's forward lean of an overhead press is its rule's back lean.
                let rule = meta.exercise == .overheadPress && fault == "forward_lean" ? "back_lean" : fault
                guard rules.contains(rule) else { continue }
                injected[rule, default: 0] += 1
                if concerns.contains(rule) { named[rule, default: 0] += 1 }
            }
        }
        try? FileManager.default.removeItem(at: folder)
        func list(_ counts: [String: Int]) -> String { counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        print(Format.table(header: ["figure", "result"], rows: [
            ["rep count equal to the generator's", "\(exactReps) of \(count)"],
            ["excellent sequences with any form concern", "\(excellentWithConcern) of \(excellent)" + (falseAlarms.isEmpty ? "" : " (\(list(falseAlarms)))")],
            ["injected faults >= 0.5 named by their rule's concern", "\(named.values.reduce(0, +)) of \(injected.values.reduce(0, +))"],
        ]))
        print("named per rule: " + injected.keys.sorted().map { "\($0) \(named[$0] ?? 0)/\(injected[$0]!)" }.joined(separator: ", "))
    }
}
