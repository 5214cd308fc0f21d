import BiomechCore
import Drawing
import Foundation

/// One epoch's figures as a history chart draws them: from a running fit or from a run folder's history.csv.
public struct HistoryRow: Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double?
    public var valLoss: Double?
    public var formMAE: Double?
    public var angleMAEDegrees: Double?
    /// 0-1.
    public var exerciseAccuracy: Double?
    public var riskMAE: Double?

    public init(epoch: Int, trainLoss: Double?, valLoss: Double?, formMAE: Double?, angleMAEDegrees: Double?,
                exerciseAccuracy: Double?, riskMAE: Double?) {
        self.epoch = epoch; self.trainLoss = trainLoss; self.valLoss = valLoss; self.formMAE = formMAE
        self.angleMAEDegrees = angleMAEDegrees; self.exerciseAccuracy = exerciseAccuracy; self.riskMAE = riskMAE
    }

    init(_ r: EpochRecord) {
        self.init(epoch: r.epoch, trainLoss: r.trainLoss, valLoss: r.valLoss, formMAE: r.val.formMAE,
                  angleMAEDegrees: r.val.angleMAEDegrees, exerciseAccuracy: r.val.exerciseAccuracy, riskMAE: r.val.riskMAE)
    }
}

/// Training histories: read from run folders, and drawn as one chart (`history.png`, `biomech-train history`).
public enum RunHistory {
    /// Reads `folder/history.csv` (docs/TRAINING.md); a missing column or a bad number names the file and line.
    public static func read(run folder: URL) throws -> [HistoryRow] {
        let url = folder.appendingPathComponent("history.csv")
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TrainingError("\(url.path): cannot read the run's history (is \(folder.path) a biomech-train fit run folder?)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else {
            throw ConfigurationError(file: url.path, line: 1, message: "empty file; expected the header \(RunFiles.historyHeader)")
        }
        let needed = ["epoch", "train_loss", "val_loss", "form_mae", "angle_mae_deg", "exercise_accuracy", "risk_mae"]
        var column: [String: Int] = [:]
        for name in needed {
            guard let i = header.firstIndex(of: name) else {
                throw ConfigurationError(file: url.path, line: 1, key: name, message: "column missing from the header")
            }
            column[name] = i
        }
        return try lines.dropFirst().enumerated().map { offset, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let number = offset + 2
            guard fields.count == header.count else {
                throw ConfigurationError(file: url.path, line: number, message: "\(fields.count) fields, the header has \(header.count)")
            }
            func value(_ name: String) throws -> Double? {
                let field = fields[column[name]!]
                if field.isEmpty { return nil }
                guard let v = Double(field) else {
                    throw ConfigurationError(file: url.path, line: number, key: name, message: "'\(field)' is not a number")
                }
                return v
            }
            guard let epoch = try value("epoch"), epoch >= 1, epoch == epoch.rounded() else {
                throw ConfigurationError(file: url.path, line: number, key: "epoch", message: "expected an epoch number from 1")
            }
            return HistoryRow(epoch: Int(epoch), trainLoss: try value("train_loss"), valLoss: try value("val_loss"),
                              formMAE: try value("form_mae"), angleMAEDegrees: try value("angle_mae_deg"),
                              exerciseAccuracy: try value("exercise_accuracy"), riskMAE: try value("risk_mae"))
        }
    }

    /// One chart of runs that follow each other (e.g. pretraining, then fine-tuning): epochs are numbered on
    /// across the runs, and each run has its own colour in every panel.
    public static func chart(_ runs: [(name: String, rows: [HistoryRow])], title: String) -> LineChartGrid {
        let total = runs.reduce(0) { $0 + $1.rows.count }
        var offsets: [Int] = []
        var sum = 0
        for run in runs { offsets.append(sum); sum += run.rows.count }
        /// The run's values at their places along the shared axis, nil elsewhere.
        func placed(_ run: Int, _ value: (HistoryRow) -> Double?) -> [Double?] {
            var out = [Double?](repeating: nil, count: total)
            for (i, row) in runs[run].rows.enumerated() { out[offsets[run] + i] = value(row) }
            return out
        }
        func series(_ label: String, _ value: @escaping (HistoryRow) -> Double?) -> [(name: String, values: [Double?])] {
            runs.indices.map { (name: runs.count == 1 ? label : "\(runs[$0].name) \(label)", values: placed($0, value)) }
        }
        var chart = LineChartGrid(title: title, xLabel: "epoch", x: (0..<total).map { Double($0 + 1) }, panels: [
            .init(title: "loss", series: series("train") { $0.trainLoss } + series("val") { $0.valLoss }),
            .init(title: "form MAE (points, val)", series: series("val") { $0.formMAE }),
            .init(title: "angle MAE (degrees, val)", series: series("val") { $0.angleMAEDegrees }),
            .init(title: "exercise accuracy (%, val)", series: series("val") { $0.exerciseAccuracy.map { $0 * 100 } }),
            .init(title: "risk MAE (points, val)", series: series("val") { $0.riskMAE }),
        ])
        chart.columns = 3
        if runs.count > 1 { chart.panelWidth = 460 }  // room for a legend entry per run and series
        return chart
    }
}
