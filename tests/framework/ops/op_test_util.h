// Helpers for the ops tests: plain-loop references and value comparisons.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/ops/threads.h"

namespace recur::testing {

// Flat index into a tensor of shape `in` (which broadcasts to `out`) of the element that
// lands on flat index `i` of `out`. Written independently of the ops' own indexing.
inline std::int64_t broadcast_source(const Shape& out, const Shape& in, std::int64_t i) {
  std::int64_t src = 0, in_stride = 1;
  std::size_t pad = out.size() - in.size();
  for (std::size_t d = out.size(); d-- > 0;) {
    std::int64_t coord = i % out[d];
    i /= out[d];
    if (d >= pad) {
      std::int64_t n = in[d - pad];
      src += (n == 1 ? 0 : coord) * in_stride;
      in_stride *= n;
    }
  }
  return src;
}

// Values of `shape` from `f(flat index)`.
template <class F>
Tensor tensor_from_fn(const Shape& shape, F&& f) {
  Tensor t = Tensor::zeros(shape);
  float* p = t.data<float>();
  for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = f(i);
  return t;
}

// Random values in [lo, hi] at distance >= gap from 0 (for kinks such as relu).
inline Tensor random_away_from_zero(const Shape& shape, std::mt19937& rng, float gap) {
  std::uniform_real_distribution<float> mag(gap, 1.0f);
  std::bernoulli_distribution sign(0.5);
  return tensor_from_fn(shape, [&](std::int64_t) { return sign(rng) ? mag(rng) : -mag(rng); });
}

// Runs its scope with `n` threads (ctest runs tests with OMP_NUM_THREADS=1), so the
// threaded loops of the ops are exercised too.
class ThreadCount {
 public:
  explicit ThreadCount(int n) : before_(ops::num_threads()) { ops::set_num_threads(n); }
  ~ThreadCount() { ops::set_num_threads(before_); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int before_;
};

// Same shape and every element within atol + rtol * |want|.
inline void expect_close(const Tensor& got, const Tensor& want, float atol, float rtol = 0.0f) {
  ASSERT_EQ(got.shape(), want.shape())
      << shape_str(got.shape()) << " vs " << shape_str(want.shape());
  std::vector<float> g = got.to_vector(), w = want.to_vector();
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (std::isinf(w[i])) {
      EXPECT_EQ(g[i], w[i]) << "element " << i;
    } else {
      EXPECT_NEAR(g[i], w[i], atol + rtol * std::abs(w[i])) << "element " << i;
    }
  }
}

}  // namespace recur::testing
