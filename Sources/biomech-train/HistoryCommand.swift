import ArgumentParser
import Foundation
import Training

/// `biomech-train history`: one chart of runs that follow each other, such as pretraining and then fine-tuning.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Draw the histories of run folders, in the order given, as one chart (epochs numbered on across the runs).")

    @Argument(help: "Run folders of biomech-train fit (each holds history.csv), e.g. runs/pretrain runs/finetune.")
    var runs: [String]
    @Option(help: "The PNG to write.")
    var out: String
    @Option(help: "The chart's title (default: the run folders' names).")
    var title: String?

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("name at least one run folder") }
    }

    func run() throws {
        let histories = try runs.map { path in
            let folder = URL(fileURLWithPath: path)
            return (name: folder.lastPathComponent, rows: try RunHistory.read(run: folder))
        }
        let chart = RunHistory.chart(histories, title: title ?? "biomech-train: " + histories.map(\.name).joined(separator: ", then "))
        try chart.write(to: URL(fileURLWithPath: out))
        let epochs = histories.map { "\($0.name) \($0.rows.count)" }.joined(separator: ", ")
        print("wrote \(out): epochs \(epochs)")
    }
}
