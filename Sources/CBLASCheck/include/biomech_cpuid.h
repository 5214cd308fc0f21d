// The x86-64 instruction-set features the BLAS kernel choice depends on (CPUID and XGETBV).
#pragma once
#include <stdint.h>

/// Feature bits of `biomech_cpu_features`; a bit is set only when the CPU has the feature and the
/// operating system saves the registers it needs (XCR0), as OpenBLAS's own checks require.
enum {
    BIOMECH_CPU_SSE3 = 1u << 0,
    BIOMECH_CPU_SSSE3 = 1u << 1,
    BIOMECH_CPU_SSE41 = 1u << 2,
    BIOMECH_CPU_SSE42 = 1u << 3,
    BIOMECH_CPU_AVX = 1u << 4,
    BIOMECH_CPU_FMA = 1u << 5,
    BIOMECH_CPU_AVX2 = 1u << 6,
    BIOMECH_CPU_AVX512F = 1u << 7,
    BIOMECH_CPU_AVX512DQ = 1u << 8,
    BIOMECH_CPU_AVX512CD = 1u << 9,
    BIOMECH_CPU_AVX512BW = 1u << 10,
    BIOMECH_CPU_AVX512VL = 1u << 11,
    BIOMECH_CPU_AVX512BF16 = 1u << 12,
    BIOMECH_CPU_FMA4 = 1u << 13,
    BIOMECH_CPU_XOP = 1u << 14,
    BIOMECH_CPU_3DNOW = 1u << 15,
    BIOMECH_CPU_SSE4A = 1u << 16,
    BIOMECH_CPU_MISALIGNSSE = 1u << 17,
};

/// This CPU's features as `BIOMECH_CPU_*` bits; 0 on other architectures.
uint32_t biomech_cpu_features(void);

/// The CPU's brand string (e.g. "AMD EPYC 9R14"), NUL-terminated, into `name` of `size` bytes; "" when unknown.
void biomech_cpu_brand(char *name, int size);
