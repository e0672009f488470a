// The row softmax (softmax_rows.h) compiled for avx2 + fma. As in small_rnn_avx2.cc, every
// header with code of its own comes before the target pragma.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "softmax_rows.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")

#include "small_rnn_avx2.h"
#include "softmax_rows_kernel.h"

namespace recur::ops::detail::small {

void softmax_rows_avx2(const float* x, float* y, std::int64_t rows, std::int64_t n, bool log, int threads) {
  softmax_rows<Avx2>(x, y, rows, n, log, threads);
}

RowLogSumExp row_logsumexp_avx2(const float* x, std::int64_t n) { return row_logsumexp<Avx2>(x, n); }

void row_softmax_affine_avx2(const float* x, float* y, std::int64_t n, const RowLogSumExp& r, float a, float b) {
  row_softmax_affine<Avx2>(x, y, n, r, a, b);
}

}  // namespace recur::ops::detail::small

#pragma GCC pop_options
