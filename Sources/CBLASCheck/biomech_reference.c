#include "biomech_reference.h"
#include <math.h>

void biomech_fill_uniform(float *values, long count, uint64_t seed) {
    uint64_t state = seed;
    for (long i = 0; i < count; i++) {
        state += 0x9E3779B97F4A7C15ull;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        values[i] = (float)((double)(z >> 40) / (double)(1ull << 24) * 2.0 - 1.0);
    }
}

long biomech_check_product(int trans_a, int trans_b, int k, const float *a, int lda, const float *b, int ldb,
                           float beta, const float *c0, const float *c, int ldc, const int32_t *entries, long count,
                           double *worst, double *reference, double *tolerance) {
    const double u = 1.0 / (double)(1 << 24);
    *worst = 0;
    for (long e = 0; e < count; e++) {
        long i = entries[2 * e], j = entries[2 * e + 1];
        double sum = 0, magnitude = 0;
        for (long q = 0; q < k; q++) {
            // A product of two floats is exact in double.
            double x = trans_a ? a[q * lda + i] : a[i * lda + q];
            double y = trans_b ? b[j * ldb + q] : b[q * ldb + j];
            sum += x * y;
            magnitude += fabs(x * y);
        }
        double before = (double)beta * c0[i * ldc + j];
        double expected = sum + before;
        double bound = (double)(k + 2) * u * (magnitude + fabs(before)) + 1e-30;
        double error = fabs((double)c[i * ldc + j] - expected);
        if (!(error <= bound)) {
            *worst = isfinite(error) ? fmax(*worst, error / bound) : INFINITY;
            *reference = expected;
            *tolerance = bound;
            return e;
        }
        *worst = fmax(*worst, error / bound);
    }
    return -1;
}
