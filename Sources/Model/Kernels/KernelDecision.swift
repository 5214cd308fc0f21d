/// Which OpenBLAS kernels to run, from the CPU's features, OpenBLAS's choice and the user's setting.
///
/// A pure function of its inputs, so every rule is tested on a table (docs/MODEL.md, "Kernel
/// selection"). The rules: `--blas-core` wins for one run; an `OPENBLAS_CORETYPE` the user set is
/// kept, with a note when the CPU runs something faster; with neither, a detection below what the
/// CPU runs is replaced by the best core of the ladder.
public struct KernelDecision: Equatable, Sendable {
    /// Who chose the kernels that run.
    public enum Source: String, Codable, Sendable {
        /// OpenBLAS's own detection, kept.
        case detected
        /// biomech's choice, replacing a weaker detection.
        case auto
        /// `OPENBLAS_CORETYPE`, set by the user.
        case environment
        /// `--blas-core`, for this run.
        case flag
        /// The next safer core, after the chosen one failed the self-check.
        case fallback
    }

    public enum Action: Equatable, Sendable {
        /// The loaded kernels stay.
        case keep
        /// Start again with these kernels.
        case use(BLASCore)
        /// A bad setting: stop with this message (exit status 2).
        case refuse(String)
    }

    public var action: Action
    public var source: Source
    /// What to tell the user, or nil.
    public var note: String?
    /// A core the CPU runs that is faster than the one the user set: worth measuring and naming.
    public var faster: BLASCore?

    /// Decides, given the CPU's `features`, the core OpenBLAS `loaded`, `OPENBLAS_CORETYPE` as
    /// the user set it (nil or empty when unset) and the `--blas-core` value (nil without one).
    public static func decide(features: CPUFeatures, loaded: String, environment: String?, flag: String?) -> KernelDecision {
        let runnable = BLASCore.all.filter { $0.runs(on: features) }.map(\.name).joined(separator: ", ")
        if let flag {
            guard let core = BLASCore.named(flag) else {
                return KernelDecision(action: .refuse("--blas-core \(flag): not an OpenBLAS core; this CPU runs \(runnable)"), source: .flag)
            }
            guard core.runs(on: features) else {
                return KernelDecision(action: .refuse("--blas-core \(core.name) needs \(core.missing(on: features)), which this CPU lacks; it runs \(runnable)"),
                                      source: .flag)
            }
            return KernelDecision(action: same(core.name, loaded) ? .keep : .use(core), source: .flag)
        }
        if let environment, !environment.isEmpty {
            guard let core = BLASCore.named(environment), same(core.name, loaded) else {
                // OpenBLAS ignored a name it does not know and detected a core itself.
                return KernelDecision(action: .keep, source: .environment,
                                      note: "OPENBLAS_CORETYPE=\(environment) is not a core OpenBLAS knows; it chose \(loaded) itself")
            }
            guard core.runs(on: features) else {
                return KernelDecision(action: .refuse("OPENBLAS_CORETYPE=\(environment) is set, but \(core.name) kernels need \(core.missing(on: features)), "
                                                      + "which this CPU lacks; unset it, or set one of \(runnable)"), source: .environment)
            }
            if let best = BLASCore.best(for: features), best.tier > core.tier {
                return KernelDecision(action: .keep, source: .environment,
                                      note: "OPENBLAS_CORETYPE=\(environment) is set, so biomech keeps \(core.name) kernels; this CPU also runs \(best.name)",
                                      faster: best)
            }
            return KernelDecision(action: .keep, source: .environment)
        }
        guard let best = BLASCore.best(for: features) else { return KernelDecision(action: .keep, source: .detected) }
        if let core = BLASCore.named(loaded), core.runs(on: features), core.tier >= best.tier {
            return KernelDecision(action: .keep, source: .detected)
        }
        return KernelDecision(action: .use(best), source: .auto,
                              note: "OpenBLAS detected \(loaded), below what this CPU runs (\(best.requires.description)): using \(best.name) kernels")
    }

    static func same(_ a: String, _ b: String) -> Bool { a.caseInsensitiveCompare(b) == .orderedSame }
}
