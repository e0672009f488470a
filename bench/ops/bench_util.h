// Shared by the ops microbenchmarks.
#pragma once

#include <random>

#include "recur/core/tensor.h"

namespace recur::bench {

// Values uniform in [-0.1, 0.1]: activations and weights of a trained small model's size.
inline Tensor random(const Shape& shape, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-0.1f, 0.1f);
  Tensor t = Tensor::zeros(shape);
  float* p = t.data<float>();
  for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = dist(rng);
  return t;
}

}  // namespace recur::bench
