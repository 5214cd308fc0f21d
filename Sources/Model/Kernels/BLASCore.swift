/// An OpenBLAS 0.3.21 x86-64 kernel family ("core type"), with what it needs from the CPU.
///
/// `OPENBLAS_CORETYPE` takes these names. OpenBLAS does not check them: forced onto a CPU without
/// the instructions, a core dies with SIGILL at its first product, so biomech checks first.
public struct BLASCore: Sendable, Hashable, CustomStringConvertible {
    /// OpenBLAS's name, as `openblas_get_corename` returns it.
    public var name: String
    /// The instruction-set tier its kernels use: 0 SSE, 1 AVX, 2 AVX2 with FMA, 3 AVX-512, 4 AVX-512 with BF16.
    public var tier: Int
    /// What the CPU must have to run it.
    public var requires: CPUFeatures

    public var description: String { name }

    /// AMD K10 (Barcelona) and Bobcat: OpenBLAS builds their kernels for SSE4A and misaligned SSE operands.
    static let k10: CPUFeatures = [.sse3, .sse4a, .misalignsse]
    /// AMD family 15h (Bulldozer to Excavator): its kernels use FMA4 and XOP, which later CPUs dropped.
    static let family15h: CPUFeatures = k10.union([.avx, .fma4, .xop])
    static let avx512: CPUFeatures = [.avx512f, .avx512dq, .avx512cd, .avx512bw, .avx512vl, .avx2, .fma]

    /// Every x86-64 core OpenBLAS 0.3.21 can be told to use.
    public static let all: [BLASCore] = [
        BLASCore(name: "Prescott", tier: 0, requires: [.sse3]),
        BLASCore(name: "Core2", tier: 0, requires: [.sse3, .ssse3]),
        BLASCore(name: "Penryn", tier: 0, requires: [.sse3, .ssse3, .sse41]),
        BLASCore(name: "Dunnington", tier: 0, requires: [.sse3, .ssse3, .sse41]),
        BLASCore(name: "Nehalem", tier: 0, requires: [.sse3, .ssse3, .sse41, .sse42]),
        BLASCore(name: "Atom", tier: 0, requires: [.sse3, .ssse3]),
        // OpenBLAS's Opteron kernels leave MMX state with 3DNow!'s FEMMS: SIGILL on every CPU since 2010.
        BLASCore(name: "Opteron", tier: 0, requires: [.amd3dnow]),
        BLASCore(name: "Opteron_SSE3", tier: 0, requires: [.sse3, .amd3dnow]),
        BLASCore(name: "Barcelona", tier: 0, requires: k10),
        BLASCore(name: "Nano", tier: 0, requires: [.sse3, .ssse3]),
        BLASCore(name: "Bobcat", tier: 0, requires: k10.union(.ssse3)),
        BLASCore(name: "Sandybridge", tier: 1, requires: [.avx]),
        BLASCore(name: "Bulldozer", tier: 1, requires: family15h),
        BLASCore(name: "Piledriver", tier: 1, requires: family15h.union(.fma)),
        BLASCore(name: "Steamroller", tier: 1, requires: family15h.union(.fma)),
        BLASCore(name: "Haswell", tier: 2, requires: [.avx, .avx2, .fma]),
        BLASCore(name: "Zen", tier: 2, requires: [.avx, .avx2, .fma]),
        BLASCore(name: "Excavator", tier: 2, requires: family15h.union([.avx2, .fma])),
        BLASCore(name: "SkylakeX", tier: 3, requires: avx512),
        BLASCore(name: "Cooperlake", tier: 4, requires: avx512.union(.avx512bf16)),
    ]

    /// The cores biomech chooses among, fastest first; each step down is the next safer one.
    public static let ladder = ["Cooperlake", "SkylakeX", "Haswell", "Sandybridge", "Nehalem", "Prescott"].map { named($0)! }

    /// The core of this name, in any letter case (as OpenBLAS matches them); nil for a name it does not know.
    public static func named(_ name: String) -> BLASCore? {
        all.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Whether a CPU with `features` can run this core's kernels.
    public func runs(on features: CPUFeatures) -> Bool { features.isSuperset(of: requires) }

    /// The instructions this core needs that `features` lacks, by name.
    public func missing(on features: CPUFeatures) -> String {
        CPUFeatures(rawValue: requires.rawValue & ~features.rawValue).description
    }

    /// The fastest core of the ladder a CPU with `features` runs; nil when it runs none (not x86-64).
    public static func best(for features: CPUFeatures) -> BLASCore? { ladder.first { $0.runs(on: features) } }

    /// The next core down the ladder from `core` that the CPU runs: the fallback after a failed self-check.
    public static func safer(than core: BLASCore, on features: CPUFeatures) -> BLASCore? {
        if let i = ladder.firstIndex(of: core) { return ladder[(i + 1)...].first { $0.runs(on: features) } }
        return ladder.first { $0.tier < core.tier && $0.runs(on: features) }
    }
}
