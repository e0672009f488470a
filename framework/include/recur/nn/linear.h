// Affine layer as a Module: parameters `weight` [out, in] (torch's nn.Linear layout) and
// `bias` [out], y = x W^T + b on ops::linear.
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"
#include "recur/nn/init.h"
#include "recur/nn/module.h"

namespace recur::nn {

// torch's default initialisation of a linear layer's weight and bias, for tensors of
// layers written out by hand: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
void init_linear_uniform(Tensor& t, std::int64_t fan_in, init::Generator& gen);

class Linear final : public Module {
 public:
  Linear(std::int64_t in_features, std::int64_t out_features, bool bias = true);
  // Tied weights: `weight` [out, in] belongs to another module and is not registered
  // here (an output projection sharing the embedding table); only `bias` is.
  Linear(Tensor shared_weight, bool bias);

  // x [..., in] -> [..., out].
  Tensor forward(const Tensor& x) const;

  // torch's default: weight and bias from U(-1/sqrt(in), 1/sqrt(in)). A shared weight
  // is left to its owner.
  void reset_parameters(init::Generator& gen);

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  std::int64_t in_features() const { return weight_.dim(1); }
  std::int64_t out_features() const { return weight_.dim(0); }

 private:
  Tensor weight_;
  Tensor bias_;
  bool owns_weight_;
};

}  // namespace recur::nn
