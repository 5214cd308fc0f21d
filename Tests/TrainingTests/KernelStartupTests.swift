import Foundation
import Model
import Testing
import TestSupport

/// biomech-train's kernel choice at startup, in real subprocesses: the variable removed, a weak
/// detection, a failed self-check, and bad settings.
@Suite struct KernelStartupTests {
    static let train = Tools.product("biomech-train")
    static var best: String? { BLASCore.best(for: CPUFeatures.current).flatMap { $0.tier >= 2 ? $0.name : nil } }

    func bench(environment: [String: String] = [:], removing: [String] = ["OPENBLAS_CORETYPE"], _ extra: [String] = []) throws -> Tools.Result {
        try Tools.run(Self.train, ["bench", "--seconds", "0.01", "--batch", "1", "--threads", "1"] + extra,
                      environment: environment, removing: removing)
    }

    /// `biomech-train kernels --json` (the same startup, without a benchmark's minutes in a debug build).
    func kernels(environment: [String: String] = [:], removing: [String] = ["OPENBLAS_CORETYPE"], _ extra: [String] = []) throws
        -> (run: Tools.Result, report: BLASKernelReport?) {
        let run = try Tools.run(Self.train, ["kernels", "--json"] + extra, environment: environment, removing: removing)
        return (run, try? JSONDecoder().decode(BLASKernelReport.self, from: Data(run.stdout.utf8)))
    }

    @Test func benchReportsTheCPUsBestCoreWithNoVariable() throws {
        guard let best = Self.best else { print("skipped: this CPU has no AVX2, so there is no better core to choose"); return }
        let run = try bench()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("blas_core=\(best) "), "\(run.stdout)")
    }

    /// Prescott loaded as if OpenBLAS had detected it: biomech starts again with the best core and says so.
    @Test func replacesAWeakDetection() throws {
        guard let best = Self.best else { print("skipped: this CPU has no AVX2"); return }
        let (run, report) = try kernels(environment: ["OPENBLAS_CORETYPE": "Prescott", BLASKernel.asDetectedVariable: "1"], removing: [])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(report?.core == best && report?.source == .auto && report?.detected == "Prescott", "\(run.stdout)")
        #expect(run.stderr.contains("OpenBLAS detected Prescott"), "\(run.stderr)")
    }

    /// The best core's self-check corrupted: the run falls back to the next safer core and records it.
    @Test func fallsBackAfterAFailedSelfCheck() throws {
        guard let best = Self.best, let core = BLASCore.named(best),
              let next = BLASCore.safer(than: core, on: CPUFeatures.current) else { print("skipped: this CPU has no AVX2"); return }
        let (run, report) = try kernels(environment: [BLASKernel.faultVariable: best])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(report?.core == next.name && report?.source == .fallback, "\(run.stdout)")
        #expect(report?.fallbacks.map(\.core) == [best], "\(run.stdout)")
        #expect(report?.selfCheck.passed == true)
        #expect(run.stderr.contains("failed the self-check"), "\(run.stderr)")
    }

    @Test func badSettingsExitTwo() throws {
        let unknown = try kernels(["--blas-core", "NoSuchCore"]).run
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--blas-core NoSuchCore: not an OpenBLAS core"), "\(unknown.stderr)")
        if let lacking = BLASCore.all.first(where: { !$0.runs(on: CPUFeatures.current) }) {
            let run = try kernels(environment: ["OPENBLAS_CORETYPE": lacking.name], removing: []).run
            #expect(run.status == 2)
            #expect(run.stderr.contains("which this CPU lacks"), "\(run.stderr)")
        }
    }

    @Test func flagChoosesTheCoreForOneRun() throws {
        let (run, report) = try kernels(["--blas-core", "prescott"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(report?.core == "Prescott" && report?.source == .flag, "\(run.stdout)")
    }
}
