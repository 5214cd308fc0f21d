import BiomechCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Chooses OpenBLAS's kernels for this CPU and proves them right before any model runs.
///
/// OpenBLAS fixes its kernels when it loads, from `OPENBLAS_CORETYPE` or its own detection, so a
/// different choice means starting the process again with the variable set (`Reexec`). The
/// variable is then taken out of the environment again (or given back the user's value), so
/// the programs a run starts see the environment the user gave it. docs/MODEL.md, "Kernel selection".
public enum BLASKernel {
    /// Carries the decision across the re-exec: JSON of `Carried`.
    static let carriedVariable = "BIOMECH_BLAS_STATE"
    /// Set in the child that measures a faster core for the "also runs" note.
    static let probeVariable = "BIOMECH_BLAS_PROBE"
    /// Test hook: the self-check's products are corrupted while this core is loaded.
    public static let faultVariable = "BIOMECH_BLAS_FAULT"
    /// Test hook: `OPENBLAS_CORETYPE` stands for OpenBLAS's own detection, not a user setting,
    /// which makes a weak detection on a CPU whose OpenBLAS detects it correctly.
    public static let asDetectedVariable = "BIOMECH_BLAS_AS_DETECTED"

    struct Carried: Codable {
        var source: KernelDecision.Source
        var detected: String?
        var environment: String?
        var fallbacks: [BLASKernelReport.Fallback] = []
        var notes: [String] = []
    }

    nonisolated(unsafe) private static var checked: BLASKernelReport?
    private static let lock = NSLock()

    /// The report of this process's kernels: `startup`'s, or (in a process that did not call it,
    /// such as a test) the loaded kernels with a self-check run now. Throws when that check fails.
    public static func report() throws -> BLASKernelReport {
        lock.lock(); defer { lock.unlock() }
        if let checked { return checked }
        let environment = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].flatMap { $0.isEmpty ? nil : $0 }
        let report = BLASKernelReport(core: BLASThreads.core, source: environment == nil ? .detected : .environment, detected: nil,
                                      environment: environment, cpu: CPUFeatures.brand, features: CPUFeatures.current.description,
                                      selfCheck: BLASSelfCheck.run(kernels: kernels(for: BLASThreads.core)), fallbacks: [], notes: [])
        guard report.selfCheck.passed else { throw SelfCheckError(report: report) }
        checked = report
        return report
    }

    /// Decides the kernels and checks them; call first thing in `main`, while the process has one thread.
    ///
    /// May replace the process (a better core, a fallback after a failed check, or a variable of
    /// `alsoSet` missing). Exits 2 for a bad `--blas-core` or `OPENBLAS_CORETYPE`, 1 when every core
    /// the CPU runs fails the self-check. Prints its notes as `tool: ...` lines on standard error.
    @discardableResult
    public static func startup(tool: String, arguments: [String] = CommandLine.arguments,
                               alsoSet: [String: String] = [:]) -> BLASKernelReport {
        let environment = ProcessInfo.processInfo.environment
        if environment[probeVariable] != nil { probe() }
        let features = CPUFeatures.current, loaded = BLASThreads.core
        var carried: Carried
        var restart: [String: String] = alsoSet.filter { environment[$0.key] == nil }
        if let text = environment[carriedVariable], let state = try? JSONDecoder().decode(Carried.self, from: Data(text.utf8)) {
            carried = state
            // The user's own environment again, for every program this run starts.
            unsetenv(carriedVariable)
            if let user = state.environment { setenv("OPENBLAS_CORETYPE", user, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        } else {
            let asDetected = environment[asDetectedVariable] != nil
            let user = asDetected ? nil : environment["OPENBLAS_CORETYPE"].flatMap { $0.isEmpty ? nil : $0 }
            let decision = KernelDecision.decide(features: features, loaded: loaded, environment: user, flag: flag(in: arguments))
            carried = Carried(source: decision.source, detected: user == nil ? loaded : nil, environment: user)
            if let note = decision.note { carried.notes.append(note) }
            if let faster = decision.faster { carried.notes.append(alternative(faster, loaded: loaded)) }
            switch decision.action {
            case .refuse(let message):
                FileHandle.standardError.write(Data("\(tool): error: \(message)\n".utf8))
                exit(ExitStatus.usage)
            case .use(let core):
                restart["OPENBLAS_CORETYPE"] = core.name
            case .keep:
                break
            }
            if asDetected { unsetenv(asDetectedVariable) }
            if !restart.isEmpty { restartWith(restart, carried: carried) }
        }
        let result = BLASSelfCheck.run(kernels: kernels(for: loaded))
        if !result.passed {
            carried.fallbacks.append(.init(core: loaded, reason: result.failure ?? "failed"))
            carried.source = .fallback
            let current = BLASCore.named(loaded) ?? BLASCore.ladder[0]
            guard let next = BLASCore.safer(than: current, on: features) else {
                let tried = carried.fallbacks.map(\.core).joined(separator: ", ")
                FileHandle.standardError.write(Data(("\(tool): error: OpenBLAS computed wrong results with every core tried (\(tried)): "
                    + "\(result.failure ?? ""); its results here cannot be trusted (docs/MODEL.md, \"Kernel selection\")\n").utf8))
                exit(ExitStatus.failure)
            }
            FileHandle.standardError.write(Data("\(tool): warning: OpenBLAS's \(loaded) kernels failed the self-check (\(result.failure ?? "")); falling back to \(next.name)\n".utf8))
            restart["OPENBLAS_CORETYPE"] = next.name
            restartWith(restart, carried: carried)
        }
        for note in carried.notes { FileHandle.standardError.write(Data("\(tool): \(note)\n".utf8)) }
        let report = BLASKernelReport(core: loaded, source: carried.source, detected: carried.detected, environment: carried.environment,
                                      cpu: CPUFeatures.brand, features: features.description, selfCheck: result,
                                      fallbacks: carried.fallbacks, notes: carried.notes)
        lock.lock(); checked = report; lock.unlock()
        return report
    }

    /// Makes processes this one starts load the same kernels without deciding or noting again
    /// (biomech-serve's workers): `OPENBLAS_CORETYPE` and the carried decision, set in this environment.
    public static func exportForChildren(_ report: BLASKernelReport) {
        let carried = Carried(source: report.source, detected: report.detected, environment: report.environment, fallbacks: report.fallbacks)
        setenv("OPENBLAS_CORETYPE", report.core, 1)
        setenv(carriedVariable, String(decoding: (try? JSONEncoder().encode(carried)) ?? Data(), as: UTF8.self), 1)
    }

    /// The value of `--blas-core` among `arguments` (either spelling), up to a `--`.
    static func flag(in arguments: [String]) -> String? {
        var value: String?
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next(), argument != "--" {
            if argument == "--blas-core" { value = iterator.next() }
            else if argument.hasPrefix("--blas-core=") { value = String(argument.dropFirst("--blas-core=".count)) }
        }
        return value
    }

    /// OpenBLAS's products, corrupted by one entry while `faultVariable` names the loaded core.
    static func kernels(for core: String) -> BLASSelfCheck.Kernels {
        guard let fault = ProcessInfo.processInfo.environment[faultVariable], KernelDecision.same(fault, core) else { return .openBLAS }
        return corrupted(.openBLAS)
    }

    /// `kernels` with one entry of every GEMM result off by 1: what a wrong kernel looks like.
    public static func corrupted(_ kernels: BLASSelfCheck.Kernels) -> BLASSelfCheck.Kernels {
        BLASSelfCheck.Kernels(gemm: { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            kernels.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            c[(m - 1) * ldc + n - 1] += 1
        }, gemv: kernels.gemv)
    }

    private static func restartWith(_ variables: [String: String], carried: Carried) -> Never {
        var all = variables
        all[carriedVariable] = String(decoding: (try? JSONEncoder().encode(carried)) ?? Data(), as: UTF8.self)
        Reexec.replace(setting: all)
        FileHandle.standardError.write(Data("error: cannot start \(CommandLine.arguments[0]) again with \(variables): \(String(cString: strerror(errno)))\n".utf8))
        exit(ExitStatus.failure)
    }

    /// The child's side of `alternative`: prints `gflops=<x> passed=<0|1>` for the loaded core and exits.
    private static func probe() -> Never {
        let check = BLASSelfCheck.run(kernels: kernels(for: BLASThreads.core))
        print(String(format: "gflops=%.2f passed=%d core=%@", BLASSelfCheck.gflops(), check.passed ? 1 : 0, BLASThreads.core))
        exit(0)
    }

    /// Measures `faster` in a child process against the loaded core here: the "also runs" note's figures.
    static func alternative(_ faster: BLASCore, loaded: String) -> String {
        let here = BLASSelfCheck.gflops()
        let advice = "unset OPENBLAS_CORETYPE or pass --blas-core \(faster.name) to use them"
        guard let output = ChildProbe.run(setting: ["OPENBLAS_CORETYPE": faster.name, probeVariable: "1", "OPENBLAS_NUM_THREADS": "1"],
                                          removing: [carriedVariable]),
              let gflops = Self.value("gflops", in: output), let passed = Self.value("passed", in: output) else {
            return String(format: "%@ kernels could not be measured here (%.0f GFLOP/s with %@); %@", faster.name, here, loaded, advice)
        }
        guard passed == 1 else { return "\(faster.name) kernels failed the self-check here, so \(loaded) is the right choice" }
        return String(format: "%@ kernels ran an LSTM layer's products %.2fx as fast here (%.0f against %.0f GFLOP/s, one thread); %@",
                      faster.name, gflops / here, gflops, here, advice)
    }

    private static func value(_ key: String, in output: String) -> Double? {
        output.split(separator: " ").first { $0.hasPrefix("\(key)=") }.flatMap { Double($0.dropFirst(key.count + 1).trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// The loaded kernels failed the self-check in a process that cannot start again with others.
public struct SelfCheckError: BiomechError {
    public var report: BLASKernelReport
    public var exitCode: Int32 { ExitStatus.failure }
    public var description: String {
        "OpenBLAS's \(report.core) kernels computed a wrong result: \(report.selfCheck.failure ?? ""); set OPENBLAS_CORETYPE to a safer core (docs/MODEL.md, \"Kernel selection\")"
    }
}
