// The row kernels of softmax_rows.h on the CPU's instruction set (small_rnn_isa()): the
// row softmax reports a CPU with neither, the cross-entropy's pieces fall back to plain
// C++ there.
#include "softmax_rows.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "small_rnn.h"

namespace recur::ops::detail {

bool softmax_rows(const float* x, float* y, std::int64_t rows, std::int64_t n, bool log, int threads) {
  switch (small_rnn_isa()) {
    case SmallRnnIsa::avx512:
      small::softmax_rows_avx512(x, y, rows, n, log, threads);
      return true;
    case SmallRnnIsa::avx2:
      small::softmax_rows_avx2(x, y, rows, n, log, threads);
      return true;
    case SmallRnnIsa::none:
      break;
  }
  return false;
}

RowLogSumExp row_logsumexp(const float* x, std::int64_t n) {
  switch (small_rnn_isa()) {
    case SmallRnnIsa::avx512:
      return small::row_logsumexp_avx512(x, n);
    case SmallRnnIsa::avx2:
      return small::row_logsumexp_avx2(x, n);
    case SmallRnnIsa::none:
      break;
  }
  float top = -std::numeric_limits<float>::infinity();
  for (std::int64_t i = 0; i < n; ++i) top = std::max(top, x[i]);
  float sum = 0.0f, centred = 0.0f;
  for (std::int64_t i = 0; i < n; ++i) {
    sum += std::exp(x[i] - top);
    centred += x[i] - top;
  }
  return {top, std::log(sum), centred};
}

void row_softmax_affine(const float* x, float* y, std::int64_t n, const RowLogSumExp& r, float a, float b) {
  switch (small_rnn_isa()) {
    case SmallRnnIsa::avx512:
      return small::row_softmax_affine_avx512(x, y, n, r, a, b);
    case SmallRnnIsa::avx2:
      return small::row_softmax_affine_avx2(x, y, n, r, a, b);
    case SmallRnnIsa::none:
      break;
  }
  for (std::int64_t i = 0; i < n; ++i) y[i] = a * std::exp((x[i] - r.top) - r.log_sum) + b;
}

}  // namespace recur::ops::detail
