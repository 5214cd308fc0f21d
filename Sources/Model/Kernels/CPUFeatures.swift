import CBLASCheck

/// The x86-64 instruction sets that decide which OpenBLAS kernels can run here.
///
/// Read with CPUID and XGETBV (`CBLASCheck`): a set counts only when the operating system also saves
/// its registers, the test OpenBLAS itself makes before it uses AVX or AVX-512.
public struct CPUFeatures: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let sse3 = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_SSE3))
    public static let ssse3 = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_SSSE3))
    public static let sse41 = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_SSE41))
    public static let sse42 = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_SSE42))
    public static let avx = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_AVX))
    public static let fma = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_FMA))
    public static let avx2 = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_AVX2))
    public static let avx512f = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_AVX512F))
    public static let avx512dq = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_AVX512DQ))
    public static let avx512cd = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_AVX512CD))
    public static let avx512bw = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_AVX512BW))
    public static let avx512vl = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_AVX512VL))
    public static let avx512bf16 = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_AVX512BF16))
    public static let fma4 = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_FMA4))
    public static let xop = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_XOP))
    public static let amd3dnow = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_3DNOW))
    public static let sse4a = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_SSE4A))
    public static let misalignsse = CPUFeatures(rawValue: UInt32(BIOMECH_CPU_MISALIGNSSE))

    /// Every feature with its name as /proc/cpuinfo spells it.
    public static let named: [(name: String, feature: CPUFeatures)] = [
        ("sse3", .sse3), ("ssse3", .ssse3), ("sse4_1", .sse41), ("sse4_2", .sse42), ("avx", .avx), ("fma", .fma),
        ("avx2", .avx2), ("avx512f", .avx512f), ("avx512dq", .avx512dq), ("avx512cd", .avx512cd),
        ("avx512bw", .avx512bw), ("avx512vl", .avx512vl), ("avx512_bf16", .avx512bf16),
        ("fma4", .fma4), ("xop", .xop), ("3dnow", .amd3dnow), ("sse4a", .sse4a), ("misalignsse", .misalignsse),
    ]

    /// The features of the CPU this process runs on (empty off x86-64).
    public static var current: CPUFeatures { CPUFeatures(rawValue: biomech_cpu_features()) }

    /// The CPU's brand string, e.g. "AMD EPYC 9R14"; empty when the CPU does not give one.
    public static var brand: String {
        var name = [CChar](repeating: 0, count: 64)
        biomech_cpu_brand(&name, Int32(name.count))
        return String(cString: name)
    }

    /// Features from /proc/cpuinfo-style names (for tests and tables); nil names an unknown one.
    public init?(names: [String]) {
        var features = CPUFeatures()
        for name in names {
            guard let entry = Self.named.first(where: { $0.name == name }) else { return nil }
            features.insert(entry.feature)
        }
        self = features
    }

    /// The names of the features present, space-separated.
    public var description: String { Self.named.filter { contains($0.feature) }.map(\.name).joined(separator: " ") }
}
