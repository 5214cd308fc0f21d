import Foundation
import Model
import Testing
import TestSupport
import Training

/// `biomech-train fit` end to end on small synthetic shards: it learns, its run folder parses, and
/// a run killed with SIGKILL mid-epoch resumes to the same weights, bit for bit.
@Suite(.serialized) struct FitTests {
    /// 30 synthetic sequences of 60 frames in 20-frame windows: about 120 train, 20 val, 20 test windows.
    static func shards(_ folder: TemporaryFolder) throws -> URL {
        try Tools.require(Tools.product("biomech-synth"), ["--out", folder("synth").path, "--count", "30", "--frames", "60", "--seed", "5"])
        try Tools.require(Tools.product("biomech-window"), ["--sequences", folder("synth").path, "--out", folder("shards").path,
                                                            "--window", "20", "--stride", "10", "--split-ratios", "60/20/20"])
        return folder("shards")
    }

    static func fit(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(Tools.product("biomech-train"), ["fit"] + arguments)
    }

    @Test func twoEpochsLowerTheValidationLossAndAKilledRunResumesToTheSameWeights() throws {
        let folder = try TemporaryFolder("biomech-fit")
        let shards = try Self.shards(folder)
        let common = ["--synthetic", shards.path, "--epochs", "2", "--batch", "8", "--threads", "2", "--seed", "1", "--checkpoint-every", "4"]
        let whole = try Self.fit(common + ["--out", folder("whole").path])
        #expect(whole.status == 0, "\(whole.all)")

        // The run folder: every file exists and parses.
        let history = try String(contentsOf: folder("whole/history.csv"), encoding: .utf8).split(separator: "\n")
        #expect(history.first?.hasPrefix("epoch,train_loss,val_loss,form_mae,angle_mae_deg,exercise_accuracy,risk_mae") == true)
        #expect(history.count == 3 && history.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 15 })
        #expect(history.first?.hasSuffix("train_form_mae,train_angle_mae_deg,train_exercise_accuracy,train_risk_mae") == true)
        let valLoss = history.dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(valLoss[1] < valLoss[0], "the second epoch's validation loss is lower: \(valLoss)")
        let metrics = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: folder("whole/metrics.json"))) as? [String: Any])
        let test = try #require((metrics["test"] as? [String: Any])?["synthetic"] as? [String: Any])
        for key in ["form_mae", "angle_mae_deg", "exercise_accuracy", "risk_mae"] { #expect(test[key] is Double, "\(key)") }
        #expect(metrics["best_epoch"] as? Int == 2)
        let config = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: folder("whole/config.json"))) as? [String: Any])
        #expect((config["shards"] as? [String: String])?.count == 3 && (config["options"] as? [String: Any])?["batch"] as? Int == 8)
        let png = try Data(contentsOf: folder("whole/history.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && png.count > 5000, "history.png is a PNG")
        let best = try Checkpoint.read(from: folder("whole/best.ckpt"))
        #expect(best.header.window == 20 && best.header.training != nil)

        // Killed with SIGKILL after batch 21 (in epoch 2; the last checkpoint was at batch 20), then resumed.
        let killed = try Self.fit(common + ["--out", folder("killed").path, "--kill-after-batches", "21"])
        #expect(killed.status != 0, "\(killed.all)")
        #expect(!FileManager.default.fileExists(atPath: folder("killed/metrics.json").path))
        let resumed = try Self.fit(["--resume", "--out", folder("killed").path])
        #expect(resumed.status == 0, "\(resumed.all)")
        let a = try Checkpoint.read(from: folder("whole/last.ckpt")), b = try Checkpoint.read(from: folder("killed/last.ckpt"))
        #expect(a.params == b.params && a.m == b.m && a.v == b.v && a.header.step == b.header.step, "bit for bit")
        let resumedHistory = try String(contentsOf: folder("killed/history.csv"), encoding: .utf8).split(separator: "\n")
        #expect(resumedHistory.map { $0.split(separator: ",").prefix(3) } == history.map { $0.split(separator: ",").prefix(3) },
                "the same losses, epoch by epoch")
    }

    @Test func badOptionsAndFoldersExitWith2() throws {
        let folder = try TemporaryFolder("biomech-fit")
        let ratio = try Self.fit(["--synthetic", "x", "--real", "y", "--ratio", "1.5", "--out", folder("r").path])
        #expect(ratio.status == 2 && ratio.stderr.contains("--ratio"), "\(ratio.all)")
        let missing = try Self.fit(["--synthetic", folder("nowhere").path, "--out", folder("r").path])
        #expect(missing.status == 2 && missing.stderr.contains("index.json"), "\(missing.all)")
        let resume = try Self.fit(["--resume", "--out", folder("never").path])
        #expect(resume.status == 2 && resume.stderr.contains("config.json"), "\(resume.all)")
        // A changed byte in a shard, when asked to verify.
        let shards = try Self.shards(folder)
        let victim = shards.appendingPathComponent("val/shard-00000.risk.npy")
        var bytes = try Data(contentsOf: victim)
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: victim)
        let corrupted = try Self.fit(["--synthetic", shards.path, "--out", folder("c").path, "--verify"])
        #expect(corrupted.status == 2 && corrupted.stderr.contains("shard-00000.risk.npy"), "\(corrupted.all)")
    }

    /// A real folder whose windows all landed in `train` (one video lands in one split): validation
    /// falls back to the synthetic val split and says so; too few real windows for a batch is exit 2.
    @Test func aRealFolderWithoutValidationWindowsValidatesOnTheSyntheticOne() throws {
        let folder = try TemporaryFolder("biomech-fit")
        let shards = try Self.shards(folder)
        try Tools.require(Tools.product("biomech-synth"), ["--out", folder("real-seq").path, "--count", "4", "--frames", "60", "--seed", "9"])
        try Tools.require(Tools.product("biomech-window"), ["--sequences", folder("real-seq").path, "--out", folder("real").path,
                                                            "--window", "20", "--stride", "10", "--split-ratios", "100/0/0"])
        let run = try Self.fit(["--synthetic", shards.path, "--real", folder("real").path, "--ratio", "0.5", "--batch", "4",
                                "--epochs", "1", "--threads", "1", "--out", folder("run").path])
        #expect(run.status == 0, "\(run.all)")
        #expect(run.all.contains("real/val has no windows: validating on"), "\(run.all)")
        let metrics = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: folder("run/metrics.json"))) as? [String: Any])
        #expect(metrics["val_split"] as? String == "synthetic")
        let row = try String(contentsOf: folder("run/history.csv"), encoding: .utf8).split(separator: "\n")[1].split(separator: ",")
        #expect(Double(row[10]) == 0.5, "the realised real share: \(row)")

        let small = try Self.fit(["--synthetic", shards.path, "--real", folder("real").path, "--ratio", "0.9", "--batch", "64",
                                  "--out", folder("small").path])
        #expect(small.status == 2 && small.stderr.contains("fewer than one batch's real share (58 of 64"), "\(small.all)")
    }

    @Test func earlyStoppingKeepsTheBestEpochAndStopsAfterThePatience() {
        var state = TrainingState()
        let losses = [3.0, 2.0, 2.5, 1.9, 2.2, 2.3]
        var improved: [Bool] = []
        for (i, loss) in losses.enumerated() where !state.stopped {
            improved.append(state.recordValidation(epoch: i + 1, loss: loss, patience: 2))
        }
        #expect(improved == [true, true, false, true, false, false])
        #expect(state.bestEpoch == 4 && state.bestValLoss == 1.9 && state.stopped)
        var diverged = TrainingState()
        #expect(!diverged.recordValidation(epoch: 1, loss: .nan, patience: 3) && diverged.bestEpoch == nil)
    }
}
