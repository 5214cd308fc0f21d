// The BLAS self-check's double-precision reference, in C so that it runs optimized in debug builds too.
#pragma once
#include <stdint.h>

/// Fills `values[0..<count]` with floats uniform in [-1, 1) from a splitmix64 stream at `seed`.
void biomech_fill_uniform(float *values, long count, uint64_t seed);

/// Compares `c` (row-major, `ldc`) with op(A) op(B) + beta * c0 computed in double, at the
/// `count` entries (row, column pairs) of `entries`. op transposes when its flag is set; a and b
/// are stored with leading dimensions `lda` and `ldb`.
///
/// An entry fails when its error exceeds (k + 2) * 2^-24 * (sum |a||b| + |beta * c0|). Returns
/// the index of the first failing entry (its reference and tolerance in `*reference` and
/// `*tolerance`), or -1; `*worst` is the largest error as a fraction of its tolerance.
long biomech_check_product(int trans_a, int trans_b, int k, const float *a, int lda, const float *b, int ldb,
                           float beta, const float *c0, const float *c, int ldc, const int32_t *entries, long count,
                           double *worst, double *reference, double *tolerance);
