// Batch normalization over (N, H, W) per channel as a Module, with torch's nn.BatchNorm2d
// names: parameters `weight` (gamma) and `bias` (beta) [C], buffers `running_mean` and
// `running_var` [C] (saved with the model, not trained). In training mode a forward
// normalises with the batch's statistics and updates the running ones; in evaluation mode
// (Module::eval(), what every batch job uses) it normalises with the running statistics.
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"
#include "recur/nn/module.h"
#include "recur/ops/batch_norm.h"

namespace recur::nn {

class BatchNorm2d final : public Module {
 public:
  explicit BatchNorm2d(std::int64_t channels, float momentum = 0.1f, float eps = 1e-5f);

  // x [N, C, H, W] (channels_last: [N, H, W, C]) -> the same shape.
  Tensor forward(const Tensor& x, bool channels_last = false);

  // torch's initial state: gamma 1, beta 0, running mean 0 and variance 1.
  void reset_parameters();

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  const Tensor& running_mean() const { return running_mean_; }
  const Tensor& running_var() const { return running_var_; }
  float eps() const { return eps_; }

 private:
  float momentum_;
  float eps_;
  Tensor weight_;
  Tensor bias_;
  Tensor running_mean_;
  Tensor running_var_;
};

}  // namespace recur::nn
