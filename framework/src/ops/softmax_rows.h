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

namespace small {
void softmax_rows_avx512(const float* x, float* y, std::int64_t rows, std::int64_t n, bool log, int threads);
void softmax_rows_avx2(const float* x, float* y, std::int64_t rows, std::int64_t n, bool log, int threads);
}  // namespace small

}  // namespace recur::ops::detail
