/// Which OpenBLAS kernels a run used, who chose them and what the self-check found.
///
/// Printed by `fit` as its first log line and by `bench`, and stored in a run's config.json
/// under `blas` (docs/MODEL.md, "Kernel selection").
public struct BLASKernelReport: Codable, Sendable, Equatable {
    /// A core that failed the self-check and was left, with the failure.
    public struct Fallback: Codable, Sendable, Equatable {
        public var core: String
        public var reason: String
    }

    /// The kernels in use (`openblas_get_corename`).
    public var core: String
    /// Who chose them.
    public var source: KernelDecision.Source
    /// OpenBLAS's own detection, when it ran without a setting (and biomech replaced it or kept it).
    public var detected: String?
    /// `OPENBLAS_CORETYPE` as the user's environment set it.
    public var environment: String?
    /// The CPU's brand string and the instruction sets the choice looked at.
    public var cpu: String
    public var features: String
    public var selfCheck: BLASSelfCheck.Result
    /// Cores that failed the self-check before this one, in order.
    public var fallbacks: [Fallback]
    /// What the user was told at startup.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case core, source, detected, environment, cpu, features, fallbacks, notes
        case selfCheck = "self_check"
    }

    /// One line: the kernels, who chose them, the self-check's result and cost.
    public var line: String {
        let who: String
        switch source {
        case .detected: who = "OpenBLAS's detection"
        case .auto: who = "chosen by biomech; OpenBLAS detected \(detected ?? "?")"
        case .environment: who = "OPENBLAS_CORETYPE=\(environment ?? "")"
        case .flag: who = "--blas-core"
        case .fallback: who = "the next safer core"
        }
        let check = selfCheck.passed
            ? "self-check passed (\(selfCheck.products) products, \(selfCheck.entries) entries, worst error \(String(format: "%.2g", selfCheck.worst)) of tolerance) in \(String(format: "%.1f", selfCheck.milliseconds)) ms"
            : "self-check FAILED: \(selfCheck.failure ?? "")"
        let after = fallbacks.isEmpty ? "" : "; after \(fallbacks.map { "\($0.core) failed the self-check" }.joined(separator: ", "))"
        return "OpenBLAS kernels: \(core) (\(who)\(after)); \(check)"
    }
}
