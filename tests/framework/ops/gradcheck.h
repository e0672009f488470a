// Finite-difference gradient checks for ops tests.
//
//   check_gradients([](const std::vector<Tensor>& x) { return ops::sum(ops::tanh(x[0])); },
//                   {random_tensor({3, 5}, rng)});
//
// `f` maps the inputs to a scalar loss. Analytic gradients come from backward(); numeric
// ones from central differences with step `eps` on each f32 element, computed in f32
// (so tolerances are stated in f32 terms). A mismatch fails the current test with the
// input index, element and both values.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <utility>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/ops/tape.h"

namespace recur::testing {

inline Tensor random_tensor(const Shape& shape, std::mt19937& rng, float lo = -1.0f,
                            float hi = 1.0f) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t = Tensor::zeros(shape);
  float* p = t.data<float>();
  for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = dist(rng);
  return t;
}

struct GradcheckOptions {
  float eps = 1e-2f;
  float atol = 2e-3f;
  float rtol = 2e-2f;
  // Inputs (by index) that get no gradient check (ids, masks).
  std::vector<std::size_t> skip;
};

inline void check_gradients(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                            std::vector<Tensor> inputs, const GradcheckOptions& opt = {}) {
  auto skipped = [&](std::size_t i) {
    for (std::size_t s : opt.skip) if (s == i) return true;
    return false;
  };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!skipped(i)) {
      inputs[i].set_requires_grad(true);
      inputs[i].zero_grad();
    }
  }
  Tensor loss = f(inputs);
  ASSERT_EQ(loss.numel(), 1) << "gradcheck needs a scalar loss";
  loss.backward();

  autograd::NoGradGuard no_grad;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (skipped(i)) continue;
    Tensor analytic = inputs[i].grad();
    // A fresh writable pointer for every write: taking one bumps the tensor's version,
    // which is how ops that keep copies of their inputs (weights reordered for
    // inference) learn that the values changed. A pointer kept across f() would not.
    auto set = [&](std::int64_t k, float v) { inputs[i].data<float>()[k] = v; };
    for (std::int64_t k = 0; k < inputs[i].numel(); ++k) {
      const float saved = std::as_const(inputs[i]).data<float>()[k];
      set(k, saved + opt.eps);
      float up = f(inputs).item();
      set(k, saved - opt.eps);
      float down = f(inputs).item();
      set(k, saved);
      float numeric = (up - down) / (2 * opt.eps);
      float a = analytic.defined() ? analytic.item(k) : 0.0f;
      ASSERT_NEAR(a, numeric, opt.atol + opt.rtol * std::abs(numeric))
          << "input " << i << " element " << k;
    }
  }
}

}  // namespace recur::testing
