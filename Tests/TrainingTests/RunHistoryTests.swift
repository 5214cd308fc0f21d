import BiomechCore
import Foundation
import Testing
import TestSupport
@testable import Training

/// history.csv written by a run reads back as the rows its chart draws; runs chain into one chart; bad files are named.
@Suite struct RunHistoryTests {
    static func record(_ epoch: Int, loss: Double, form: Double?) -> EpochRecord {
        var val = MetricsAccumulator(classNames: ["squat"]).metrics
        val.formMAE = form; val.angleMAEDegrees = 4.5; val.exerciseAccuracy = 0.75; val.riskMAE = nil
        return EpochRecord(epoch: epoch, trainLoss: loss * 2, train: HeadSums(), valLoss: loss, val: val, learningRate: 1e-3,
                           seconds: 1, samplesPerSecond: 100, realShare: 0)
    }

    @Test func writtenHistoryReadsBack() throws {
        let folder = try TemporaryFolder()
        let records = [Self.record(1, loss: 0.5, form: 12.25), Self.record(2, loss: 0.25, form: nil)]
        try RunFiles.writeHistory(records, to: folder.url)
        let rows = try RunHistory.read(run: folder.url)
        #expect(rows == records.map(HistoryRow.init))
        #expect(rows[1].formMAE == nil && rows[0].riskMAE == nil)
    }

    @Test func runsChainAlongOneAxis() throws {
        let first = [Self.record(1, loss: 0.5, form: 10), Self.record(2, loss: 0.4, form: 9)].map(HistoryRow.init)
        let second = [Self.record(1, loss: 0.3, form: 8)].map(HistoryRow.init)
        let chart = RunHistory.chart([("pretrain", first), ("finetune", second)], title: "t")
        #expect(chart.x == [1, 2, 3])
        let form = try #require(chart.panels.first { $0.title.hasPrefix("form") })
        #expect(form.series.map(\.name) == ["pretrain val", "finetune val"])
        #expect(form.series[0].values == [10, 9, nil])
        #expect(form.series[1].values == [nil, nil, 8])
        let loss = chart.panels[0].series.map(\.name)
        #expect(loss == ["pretrain train", "finetune train", "pretrain val", "finetune val"])
    }

    @Test func commandDrawsRunFolders() throws {
        let folder = try TemporaryFolder()
        for (name, count) in [("pretrain", 3), ("finetune", 2)] {
            try FileManager.default.createDirectory(at: folder(name), withIntermediateDirectories: true)
            try RunFiles.writeHistory((1...count).map { Self.record($0, loss: 1 / Double($0), form: 5) }, to: folder(name))
        }
        let png = folder("history.png")
        let result = try Tools.run(Tools.product("biomech-train"), ["history", folder("pretrain").path, folder("finetune").path, "--out", png.path])
        #expect(result.status == 0 && result.stdout.contains("epochs pretrain 3, finetune 2"), "\(result.all)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func badHistoryNamesFileLineAndKey() throws {
        let folder = try TemporaryFolder()
        let file = folder("history.csv")
        try Data((RunFiles.historyHeader + "\n1,0.5,0.4,x,,,,,,,,,,,\n").utf8).write(to: file)
        #expect { try RunHistory.read(run: folder.url) } throws: { "\($0)" == "\(file.path):2: key 'form_mae': 'x' is not a number" }
        try Data("epoch,train_loss\n1,2\n".utf8).write(to: file)
        #expect { try RunHistory.read(run: folder.url) } throws: { "\($0)".contains(":1: key 'val_loss': column missing") }
        let missing = try Tools.run(Tools.product("biomech-train"), ["history", folder("nothing").path, "--out", folder("x.png").path])
        #expect(missing.status == 2 && missing.stderr.contains("nothing/history.csv"))
    }
}
