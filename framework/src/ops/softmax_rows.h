// Private to src/ops: softmax and log-softmax forward over contiguous rows, hand-written
// on AVX-512F or AVX2 + FMA (the vector types of the small-layer kernels). oneDNN 2.6's
// softmax takes about 0.45 ns a value over an 8,000-way vocabulary on an AVX-512 core;
// these take about half that, and a decoder step runs one over every row it scores.
#pragma once

#include <cstdint>

namespace recur::ops::detail {

// y = softmax (log: log-softmax) of each of `rows` rows of `n` floats of x, rows shared
// among up to `threads` threads. exp by a polynomial within 1e-7 relative, sums in f32.
// Returns false, writing nothing, on a CPU with neither instruction set (oneDNN then).
bool softmax_rows(const float* x, float* y, std::int64_t rows, std::int64_t n, bool log, int threads);

// The log-softmax of a row without writing it, for the fused cross-entropy (loss.cc):
// log_softmax(x)[k] = (x[k] - top) - log_sum, and centred_sum = sum over k of x[k] - top.
struct RowLogSumExp {
  float top;
  float log_sum;
  float centred_sum;
};

// One row of n floats, on the CPU's instruction set or in plain C++ (always available).
RowLogSumExp row_logsumexp(const float* x, std::int64_t n);
// y = a softmax(x) + b over one row of n floats whose RowLogSumExp is r; y may be x.
void row_softmax_affine(const float* x, float* y, std::int64_t n, const RowLogSumExp& r, float a, float b);

namespace small {
void softmax_rows_avx512(const float* x, float* y, std::int64_t rows, std::int64_t n, bool log, int threads);
void softmax_rows_avx2(const float* x, float* y, std::int64_t rows, std::int64_t n, bool log, int threads);
RowLogSumExp row_logsumexp_avx512(const float* x, std::int64_t n);
RowLogSumExp row_logsumexp_avx2(const float* x, std::int64_t n);
void row_softmax_affine_avx512(const float* x, float* y, std::int64_t n, const RowLogSumExp& r, float a, float b);
void row_softmax_affine_avx2(const float* x, float* y, std::int64_t n, const RowLogSumExp& r, float a, float b);
}  // namespace small

}  // namespace recur::ops::detail
