// Test helpers shared by the CNN op tests (conv, pool, batch_norm).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/ops/tape.h"

namespace recur::testing {

// loss = sum_i x_i * w_i, recorded on the tape: a scalar loss for gradient checks whose
// gradient with respect to x is w, so a random w probes every output independently.
inline Tensor weighted_sum(const Tensor& x, const Tensor& w) {
  if (x.shape() != w.shape()) throw ShapeError("weighted_sum: shapes differ");
  double s = 0;
  const float* px = x.data<float>();
  const float* pw = w.data<float>();
  for (std::int64_t i = 0; i < x.numel(); ++i) s += static_cast<double>(px[i]) * pw[i];
  Tensor out = Tensor::scalar(static_cast<float>(s));
  autograd::record("weighted_sum", {x}, {&out},
                   [w](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     Tensor grad = w.clone();
                     float scale = g[0].item();
                     float* p = grad.data<float>();
                     for (std::int64_t i = 0; i < grad.numel(); ++i) p[i] *= scale;
                     return {grad};
                   });
  return out;
}

// Values spaced at least `gap` apart in a random order: max pooling then has no ties,
// and finite differences with a step below gap / 2 never move the maximum.
inline Tensor distinct_tensor(const Shape& shape, std::mt19937& rng, float gap = 0.05f) {
  Tensor t = Tensor::zeros(shape);
  std::vector<std::int64_t> order(static_cast<std::size_t>(t.numel()));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  float* p = t.data<float>();
  float offset = -gap * static_cast<float>(t.numel()) / 2;
  for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = offset + gap * static_cast<float>(order[i]);
  return t;
}

// Elementwise |a - b| <= atol + rtol |b|, reporting the first offending index.
inline void expect_close(const Tensor& actual, const Tensor& expected, float atol, float rtol,
                         const std::string& what) {
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  std::vector<float> a = actual.to_vector(), e = expected.to_vector();
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], e[i], atol + rtol * std::abs(e[i])) << what << " element " << i;
  }
}

// Runs f and checks that it throws ShapeError whose message contains `needle`.
template <class F>
void expect_shape_error(F&& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "expected ShapeError mentioning \"" << needle << "\"";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace recur::testing
