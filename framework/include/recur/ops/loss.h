// Losses.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/core/tensor.h"

namespace recur::ops {

enum class Reduction { mean, sum };

struct CrossEntropyOptions {
  // Targets equal to this contribute nothing (padding).
  std::int64_t ignore_index = -100;
  // torch's definition: the target distribution is (1 - s) one-hot + s / V uniform.
  float label_smoothing = 0.0f;
  // mean: divided by the number of non-ignored targets (0 if there are none, where
  // torch gives NaN); sum: not divided.
  Reduction reduction = Reduction::mean;
  // Per-class weights (torch's `weight`; empty: all 1): a row's terms are scaled by the
  // weight of its target class, and the mean divides by the sum of those weights. With
  // label smoothing the row's target weight scales its smoothing term too (torch weights
  // each class's share of it by that class's weight instead); equal without smoothing.
  std::vector<float> class_weights;
};

struct CrossEntropyResult {
  Tensor loss;             // scalar
  std::int64_t count = 0;  // non-ignored targets
};

// Fused log-softmax + negative log-likelihood of logits [N, V] (f32) against targets
// [N] (i64). A target outside [0, V) that is not ignore_index is a ShapeError naming
// it. Gradients flow to the logits.
Tensor cross_entropy(const Tensor& logits, const Tensor& targets,
                     const CrossEntropyOptions& options = {});
CrossEntropyResult cross_entropy_with_count(const Tensor& logits, const Tensor& targets,
                                            const CrossEntropyOptions& options = {});

}  // namespace recur::ops
