import Model
import Testing

/// The kernel decision on a table of CPUs, detections and settings, and the self-check's verdicts.
@Suite struct KernelSelectionTests {
    static let avx512bf16 = CPUFeatures(names: ["sse3", "ssse3", "sse4_1", "sse4_2", "avx", "fma", "avx2", "avx512f", "avx512dq",
                                                "avx512cd", "avx512bw", "avx512vl", "avx512_bf16"])!
    static let avx512 = avx512bf16.subtracting(.avx512bf16)
    static let avx2 = CPUFeatures(names: ["sse3", "ssse3", "sse4_1", "sse4_2", "avx", "fma", "avx2"])!
    static let avxOnly = CPUFeatures(names: ["sse3", "ssse3", "sse4_1", "sse4_2", "avx"])!

    struct Case: Sendable, CustomTestStringConvertible {
        var cpu: CPUFeatures, loaded: String, environment: String?, flag: String?
        var action: KernelDecision.Action, source: KernelDecision.Source, faster: String?
        var testDescription: String { "\(loaded) env=\(environment ?? "-") flag=\(flag ?? "-") on [\(cpu)]" }
    }

    static let cases: [Case] = [
        // Nothing set: a weak detection is replaced by the best of the ladder; a right one is kept.
        Case(cpu: avx512bf16, loaded: "Prescott", environment: nil, flag: nil, action: .use(BLASCore.named("Cooperlake")!), source: .auto, faster: nil),
        Case(cpu: avx512, loaded: "Prescott", environment: nil, flag: nil, action: .use(BLASCore.named("SkylakeX")!), source: .auto, faster: nil),
        Case(cpu: avx2, loaded: "Nehalem", environment: nil, flag: nil, action: .use(BLASCore.named("Haswell")!), source: .auto, faster: nil),
        Case(cpu: avx512bf16, loaded: "Cooperlake", environment: nil, flag: nil, action: .keep, source: .detected, faster: nil),
        Case(cpu: avx2, loaded: "Zen", environment: nil, flag: nil, action: .keep, source: .detected, faster: nil),
        Case(cpu: avx512, loaded: "Unknown", environment: nil, flag: nil, action: .use(BLASCore.named("SkylakeX")!), source: .auto, faster: nil),
        // No AVX2: Sandybridge is the ladder's best; OpenBLAS's Sandybridge is kept.
        Case(cpu: avxOnly, loaded: "Sandybridge", environment: nil, flag: nil, action: .keep, source: .detected, faster: nil),
        Case(cpu: avxOnly, loaded: "Prescott", environment: nil, flag: nil, action: .use(BLASCore.named("Sandybridge")!), source: .auto, faster: nil),
        Case(cpu: [], loaded: "Prescott", environment: nil, flag: nil, action: .keep, source: .detected, faster: nil),
        // A user's OPENBLAS_CORETYPE is kept; when slower than the CPU's best, the best is named to be measured.
        Case(cpu: avx512bf16, loaded: "Haswell", environment: "Haswell", flag: nil, action: .keep, source: .environment, faster: "Cooperlake"),
        Case(cpu: avx512bf16, loaded: "Haswell", environment: "haswell", flag: nil, action: .keep, source: .environment, faster: "Cooperlake"),
        Case(cpu: avx2, loaded: "Haswell", environment: "Haswell", flag: nil, action: .keep, source: .environment, faster: nil),
        Case(cpu: avx512bf16, loaded: "Cooperlake", environment: "Foo", flag: nil, action: .keep, source: .environment, faster: nil),
        // --blas-core wins for the run; an unknown or unrunnable core is refused.
        Case(cpu: avx512bf16, loaded: "Haswell", environment: "Haswell", flag: "SkylakeX", action: .use(BLASCore.named("SkylakeX")!), source: .flag, faster: nil),
        Case(cpu: avx512bf16, loaded: "SkylakeX", environment: nil, flag: "skylakex", action: .keep, source: .flag, faster: nil),
    ]

    @Test(arguments: cases) func decides(_ c: Case) {
        let decision = KernelDecision.decide(features: c.cpu, loaded: c.loaded, environment: c.environment, flag: c.flag)
        #expect(decision.action == c.action)
        #expect(decision.source == c.source)
        #expect(decision.faster?.name == c.faster)
        if case .use = c.action { #expect(decision.note?.contains(c.loaded) == true || c.source == .flag) }
    }

    @Test func refusesWhatTheCPUCannotRun() {
        for (environment, flag) in [("SkylakeX", nil), (nil, "SkylakeX"), (nil, "Cooperlake"), (nil, "NoSuchCore")] as [(String?, String?)] {
            let decision = KernelDecision.decide(features: Self.avx2, loaded: environment ?? "Haswell", environment: environment, flag: flag)
            guard case .refuse(let message) = decision.action else { Issue.record("\(environment ?? "-")/\(flag ?? "-") not refused"); continue }
            #expect(message.contains(environment ?? flag!))
            #expect(message.contains("Haswell"), "names what the CPU runs: \(message)")
        }
    }

    /// AMD family 15h's kernels need FMA4 and XOP, which a Zen or Intel CPU lacks though it has AVX2
    /// (Excavator forced here died with SIGILL before the requirement was known).
    @Test func family15hCoresNeedFMA4AndXOP() {
        let bulldozer = Self.avxOnly.union([.fma4, .xop, .sse4a, .misalignsse])
        for name in ["Bulldozer", "Piledriver", "Steamroller", "Excavator"] {
            let core = BLASCore.named(name)!
            #expect(!core.runs(on: Self.avx512bf16), "\(name) on a CPU without FMA4")
            #expect(core.missing(on: Self.avx512bf16).contains("fma4"))
            guard case .refuse = KernelDecision.decide(features: Self.avx512bf16, loaded: "Haswell", environment: nil, flag: name).action
            else { Issue.record("\(name) not refused without FMA4"); continue }
        }
        #expect(BLASCore.named("Bulldozer")!.runs(on: bulldozer))
        #expect(!BLASCore.named("Excavator")!.runs(on: bulldozer), "Excavator also needs AVX2")
        #expect(CPUFeatures(names: ["fma4", "xop"]) == [.fma4, .xop])
    }

    @Test func opteronCoresNeed3DNowAndK10CoresSSE4A() {
        // Measured: OPENBLAS_CORETYPE=Opteron on an EPYC without 3DNow! died with SIGILL on FEMMS.
        for name in ["Opteron", "Opteron_SSE3"] {
            let core = BLASCore.named(name)!
            #expect(!core.runs(on: Self.avx512bf16), "\(name) on a CPU without 3DNow!")
            #expect(core.missing(on: Self.avx512bf16).contains("3dnow"))
            guard case .refuse = KernelDecision.decide(features: Self.avx512bf16, loaded: name, environment: name, flag: nil).action
            else { Issue.record("OPENBLAS_CORETYPE=\(name) not refused without 3DNow!"); continue }
        }
        #expect(BLASCore.named("Opteron_SSE3")!.runs(on: CPUFeatures(names: ["sse3", "3dnow"])!))
        // Intel CPUs lack SSE4A: Barcelona and Bobcat are AMD-only; an EPYC (SSE4A, misaligned SSE) runs both.
        let epyc = Self.avx512bf16.union([.sse4a, .misalignsse])
        for name in ["Barcelona", "Bobcat"] {
            #expect(!BLASCore.named(name)!.runs(on: Self.avx512bf16), "\(name) on an Intel CPU")
            #expect(BLASCore.named(name)!.runs(on: epyc), "\(name) on an EPYC")
        }
        #expect(CPUFeatures(names: ["3dnow", "sse4a", "misalignsse"]) == [.amd3dnow, .sse4a, .misalignsse])
    }

    @Test func ladderFallsBackToSaferCores() {
        #expect(BLASCore.safer(than: BLASCore.named("Cooperlake")!, on: Self.avx512bf16)?.name == "SkylakeX")
        #expect(BLASCore.safer(than: BLASCore.named("SkylakeX")!, on: Self.avx512bf16)?.name == "Haswell")
        #expect(BLASCore.safer(than: BLASCore.named("Zen")!, on: Self.avx2)?.name == "Sandybridge")
        #expect(BLASCore.safer(than: BLASCore.named("Prescott")!, on: Self.avx2) == nil)
    }

    @Test func selfCheckPassesTheLoadedKernels() {
        let result = BLASSelfCheck.run()
        #expect(result.passed, "\(result.failure ?? "")")
        #expect(result.products == BLASSelfCheck.products.count)
        #expect(result.worst < 1)
    }

    /// A wrong entry, put in through the same closure the check calls OpenBLAS by, is caught and named.
    @Test func selfCheckCatchesACorruptedProduct() {
        let result = BLASSelfCheck.run(kernels: BLASKernel.corrupted(.openBLAS))
        #expect(!result.passed)
        #expect(result.failure?.contains(BLASSelfCheck.products[0].name) == true)
        #expect(result.failure?.contains("double precision gives") == true)
        // Far smaller errors too: one entry off by a hundredth of its value.
        let slightly = BLASSelfCheck.Kernels(gemm: { ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            BLASSelfCheck.Kernels.openBLAS.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            c[0] *= 1.01
        }, gemv: BLASSelfCheck.Kernels.openBLAS.gemv)
        #expect(!BLASSelfCheck.run(kernels: slightly).passed)
        let gemvOnly = BLASSelfCheck.Kernels(gemm: BLASSelfCheck.Kernels.openBLAS.gemm, gemv: { m, n, a, x, y in
            BLASSelfCheck.Kernels.openBLAS.gemv(m, n, a, x, y)
            y[m - 1] = .nan
        })
        #expect(BLASSelfCheck.run(kernels: gemvOnly).failure?.contains("one-sample") == true)
    }
}
