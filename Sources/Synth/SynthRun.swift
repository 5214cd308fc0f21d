import BiomechCore
import Biomechanics
import Foundation
import Logging

/// One `biomech-synth` run: generates in parallel, writes, reports progress and a summary.
public struct SynthRun {
    public var options: SynthOptions
    public var folder: URL
    public var jobs: Int
    public var logger: Logger
    /// Where the progress bar goes (on a terminal); in logs, `logger` gets a line every 100 sequences.
    public var console: Console

    public init(options: SynthOptions, folder: URL, jobs: Int, logger: Logger, console: Console) {
        self.options = options
        self.folder = folder
        self.jobs = jobs
        self.logger = logger
        self.console = console
    }

    /// Generates and writes every sequence; returns a summary table of mean truth scores.
    public func run(preview: Bool) throws -> String {
        let task = console.startTask("biomech-synth", total: Int64(options.count), unit: .items("sequences"))
        let done = AtomicCounter()
        let options = self.options, folder = self.folder, logger = self.logger, isTerminal = console.isTerminal
        let results = Parallel.map(Array(0..<options.count), jobs: jobs) { index -> Result<(Exercise, QualityLevel, Double, Bool), Error> in
            Result {
                let sequence = SequenceGenerator.generate(index: index, options: options)
                try SynthWriter.write(sequence, to: folder)
                let n = done.increment()
                task.update(done: Int64(n))
                if !isTerminal && (n % 100 == 0 || n == options.count) {
                    logger.info("\(n)/\(options.count) sequences written")
                }
                let m = sequence.metadata
                return (m.exercise, m.quality, m.truth.formScore, m.plannedQuality != nil)
            }
        }
        task.finish()
        var scores: [String: [Double]] = [:]
        var missed = 0
        for result in results {
            let (exercise, quality, score, missedPlan) = try result.get()
            scores["\(exercise.rawValue) \(quality.rawValue)", default: []].append(score)
            if missedPlan { missed += 1 }
        }
        if missed > 0 {
            logger.warning("\(missed) of \(options.count) sequences could not reach their planned quality level in \(options.frames) frames; each is labelled by its truth score, with planned_quality in its JSON")
        }
        if preview {
            // Two sequences per exercise: the first excellent and the first poor one.
            let picks = Exercise.allCases.flatMap { e in
                [QualityLevel.excellent, .poor].compactMap { q in
                    (0..<options.count).first { SequenceGenerator.plan($0) == (e, q) }
                }
            }
            let url = folder.appendingPathComponent("preview.png")
            try SynthWriter.preview(picks.map { SequenceGenerator.generate(index: $0, options: options) }, to: url)
            logger.info("preview: \(url.path)")
        }
        let rows = Exercise.allCases.map { e in
            [e.rawValue] + QualityLevel.allCases.map { q -> String in
                let s = scores["\(e.rawValue) \(q.rawValue)"] ?? []
                return s.isEmpty ? "-" : String(format: "%.0f (n=%d)", s.reduce(0, +) / Double(s.count), s.count)
            }
        }
        return "mean truth form score by exercise and quality, \(options.count) sequences in \(folder.path)\n"
            + Format.table(header: ["exercise"] + QualityLevel.allCases.map(\.rawValue), rows: rows)
    }
}
