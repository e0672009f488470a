// Private to src/ops: the row softmax of softmax_rows.h on a vector instruction set V
// (small_rnn_avx512.h, small_rnn_avx2.h). Included under V's target only
// (softmax_rows_avx512.cc, softmax_rows_avx2.cc).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "small_rnn_math.h"
#include "softmax_rows.h"

namespace recur::ops::detail::small {

// The largest of n values, subtracted before exp so that none overflows. Four registers
// in flight here and below: the loops are bound by the latency of their operations.
template <class V>
float row_max(const float* x, std::int64_t n) {
  constexpr std::int64_t L = V::kLanes, U = 4 * L;
  const std::int64_t whole = n / U * U, blocks = n / L * L;
  typename V::Reg m0 = V::set1(-std::numeric_limits<float>::infinity()), m1 = m0, m2 = m0, m3 = m0;
  for (std::int64_t i = 0; i < whole; i += U) {
    m0 = V::max(m0, V::loadu(x + i));
    m1 = V::max(m1, V::loadu(x + i + L));
    m2 = V::max(m2, V::loadu(x + i + 2 * L));
    m3 = V::max(m3, V::loadu(x + i + 3 * L));
  }
  for (std::int64_t i = whole; i < blocks; i += L) m0 = V::max(m0, V::loadu(x + i));
  float top = V::reduce_max(V::max(V::max(m0, m1), V::max(m2, m3)));
  for (std::int64_t i = blocks; i < n; ++i) top = std::max(top, x[i]);
  return top;
}

template <class V>
void softmax_row(const float* x, float* y, std::int64_t n, bool log) {
  constexpr std::int64_t L = V::kLanes, U = 4 * L;
  const std::int64_t whole = n / U * U, blocks = n / L * L;
  const float top = row_max<V>(x, n);
  // sum exp(x - top); softmax keeps each term in y. x - top is exact where the terms
  // matter; a term below exp's floor (2^-126) counts as 0, as a -inf one (a masked score).
  const typename V::Reg m = V::set1(top);
  const auto term = [&](std::int64_t i) {
    const typename V::Reg d = V::sub(V::loadu(x + i), m);
    const typename V::Reg e = V::zero_below(exp<V>(d), d, kExpFloor);
    if (!log) V::storeu(y + i, e);
    return e;
  };
  typename V::Reg s0 = V::set1(0.0f), s1 = s0, s2 = s0, s3 = s0;
  for (std::int64_t i = 0; i < whole; i += U) {
    s0 = V::add(s0, term(i));
    s1 = V::add(s1, term(i + L));
    s2 = V::add(s2, term(i + 2 * L));
    s3 = V::add(s3, term(i + 3 * L));
  }
  for (std::int64_t i = whole; i < blocks; i += L) s0 = V::add(s0, term(i));
  float sum = V::reduce_add(V::add(V::add(s0, s1), V::add(s2, s3)));
  for (std::int64_t i = blocks; i < n; ++i) {
    const float e = std::exp(x[i] - top);
    if (!log) y[i] = e;
    sum += e;
  }
  if (log) {  // (x - top) - log sum: x - top exact as above, then one rounding
    const float log_sum = std::log(sum);
    const typename V::Reg l = V::set1(log_sum);
    for (std::int64_t i = 0; i < blocks; i += L) V::storeu(y + i, V::sub(V::sub(V::loadu(x + i), m), l));
    for (std::int64_t i = blocks; i < n; ++i) y[i] = (x[i] - top) - log_sum;
  } else {
    const float inv = 1.0f / sum;
    const typename V::Reg c = V::set1(inv);
    for (std::int64_t i = 0; i < blocks; i += L) V::storeu(y + i, V::mul(V::loadu(y + i), c));
    for (std::int64_t i = blocks; i < n; ++i) y[i] *= inv;
  }
}

// The log-softmax of a row without writing it (RowLogSumExp): as softmax_row's first two
// passes, with the sum of x - top beside the sum of its exps.
template <class V>
RowLogSumExp row_logsumexp(const float* x, std::int64_t n) {
  constexpr std::int64_t L = V::kLanes, U = 2 * L;
  const std::int64_t whole = n / U * U, blocks = n / L * L;
  const float top = row_max<V>(x, n);
  const typename V::Reg m = V::set1(top);
  typename V::Reg s0 = V::set1(0.0f), s1 = s0, c0 = s0, c1 = s0;
  const auto step = [&](std::int64_t i, typename V::Reg& s, typename V::Reg& c) {
    const typename V::Reg d = V::sub(V::loadu(x + i), m);
    s = V::add(s, V::zero_below(exp<V>(d), d, kExpFloor));
    c = V::add(c, d);
  };
  for (std::int64_t i = 0; i < whole; i += U) {
    step(i, s0, c0);
    step(i + L, s1, c1);
  }
  for (std::int64_t i = whole; i < blocks; i += L) step(i, s0, c0);
  float sum = V::reduce_add(V::add(s0, s1)), centred = V::reduce_add(V::add(c0, c1));
  for (std::int64_t i = blocks; i < n; ++i) {
    const float d = x[i] - top;
    sum += std::exp(d);
    centred += d;
  }
  return {top, std::log(sum), centred};
}

// y = a softmax(x) + b for one row whose RowLogSumExp is r.
template <class V>
void row_softmax_affine(const float* x, float* y, std::int64_t n, const RowLogSumExp& r, float a, float b) {
  constexpr std::int64_t L = V::kLanes;
  const std::int64_t blocks = n / L * L;
  const typename V::Reg m = V::set1(r.top), l = V::set1(r.log_sum), va = V::set1(a), vb = V::set1(b);
  for (std::int64_t i = 0; i < blocks; i += L) {
    const typename V::Reg d = V::sub(V::sub(V::loadu(x + i), m), l);  // the log-softmax, as softmax_row rounds it
    V::storeu(y + i, V::fmadd(va, V::zero_below(exp<V>(d), d, kExpFloor), vb));
  }
  for (std::int64_t i = blocks; i < n; ++i) y[i] = a * std::exp((x[i] - r.top) - r.log_sum) + b;
}

// Rows shared among threads in contiguous runs, 32k values a thread at least.
template <class V>
void softmax_rows(const float* x, float* y, std::int64_t rows, std::int64_t n, bool log, int threads) {
  const std::int64_t team = std::clamp<std::int64_t>(rows * n / 32768, 1, std::min<std::int64_t>(threads, rows));
#pragma omp parallel for num_threads(static_cast<int>(team)) schedule(static) if (team > 1)
  for (std::int64_t r = 0; r < rows; ++r) softmax_row<V>(x + r * n, y + r * n, n, log);
}

}  // namespace recur::ops::detail::small
