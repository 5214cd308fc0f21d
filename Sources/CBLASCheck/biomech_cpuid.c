#include "biomech_cpuid.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

uint32_t biomech_cpu_features(void) {
    unsigned a, b, c, d;
    uint32_t f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (c & (1u << 0)) f |= BIOMECH_CPU_SSE3;
    if (c & (1u << 9)) f |= BIOMECH_CPU_SSSE3;
    if (c & (1u << 19)) f |= BIOMECH_CPU_SSE41;
    if (c & (1u << 20)) f |= BIOMECH_CPU_SSE42;
    // AVX state (XMM and YMM) must be enabled by the OS, and AVX-512's opmask and ZMM state too.
    int osxsave = (c >> 27) & 1;
    uint64_t xcr = osxsave ? xcr0() : 0;
    int ymm = (xcr & 0x6) == 0x6, zmm = ymm && (xcr & 0xe0) == 0xe0;
    if (ymm && (c & (1u << 28))) f |= BIOMECH_CPU_AVX;
    if (ymm && (c & (1u << 12))) f |= BIOMECH_CPU_FMA;
    if (__get_cpuid_max(0, 0) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if (ymm && (b & (1u << 5))) f |= BIOMECH_CPU_AVX2;
        if (zmm) {
            if (b & (1u << 16)) f |= BIOMECH_CPU_AVX512F;
            if (b & (1u << 17)) f |= BIOMECH_CPU_AVX512DQ;
            if (b & (1u << 28)) f |= BIOMECH_CPU_AVX512CD;
            if (b & (1u << 30)) f |= BIOMECH_CPU_AVX512BW;
            if (b & (1u << 31)) f |= BIOMECH_CPU_AVX512VL;
            unsigned subleaves = a;
            if (subleaves >= 1) {
                __cpuid_count(7, 1, a, b, c, d);
                if (a & (1u << 5)) f |= BIOMECH_CPU_AVX512BF16;
            }
        }
    }
    // AMD's extended leaf: 3DNow! (OpenBLAS's Opteron kernels end with FEMMS), SSE4A and misaligned SSE
    // (Barcelona, Bobcat), and family 15h's FMA4 and XOP (Bulldozer to Excavator), which need the YMM state.
    if (__get_cpuid_max(0x80000000, 0) >= 0x80000001) {
        __get_cpuid(0x80000001, &a, &b, &c, &d);
        if (d & (1u << 31)) f |= BIOMECH_CPU_3DNOW;
        if (c & (1u << 6)) f |= BIOMECH_CPU_SSE4A;
        if (c & (1u << 7)) f |= BIOMECH_CPU_MISALIGNSSE;
        if (ymm && (c & (1u << 16))) f |= BIOMECH_CPU_FMA4;
        if (ymm && (c & (1u << 11))) f |= BIOMECH_CPU_XOP;
    }
    return f;
}

void biomech_cpu_brand(char *name, int size) {
    unsigned regs[12];
    if (size <= 0) return;
    name[0] = 0;
    if (__get_cpuid_max(0x80000000, 0) < 0x80000004) return;
    for (unsigned i = 0; i < 3; i++) __get_cpuid(0x80000002 + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2], &regs[4 * i + 3]);
    char text[49];
    memcpy(text, regs, 48);
    text[48] = 0;
    const char *start = text;
    while (*start == ' ') start++;
    strncpy(name, start, (size_t)size - 1);
    name[size - 1] = 0;
    for (int n = (int)strlen(name) - 1; n >= 0 && name[n] == ' '; n--) name[n] = 0;
}
#else
uint32_t biomech_cpu_features(void) { return 0; }
void biomech_cpu_brand(char *name, int size) { if (size > 0) name[0] = 0; }
#endif
