#include "recur/nn/linear.h"

#include <cmath>
#include <string>

#include "recur/ops/linear.h"

namespace recur::nn {

void init_linear_uniform(Tensor& t, std::int64_t fan_in, init::Generator& gen) {
  const auto bound = static_cast<float>(1.0 / std::sqrt(static_cast<double>(fan_in)));
  init::uniform(t, -bound, bound, gen);
}

Linear::Linear(std::int64_t in_features, std::int64_t out_features, bool bias)
    : owns_weight_(true) {
  if (in_features < 1 || out_features < 1) {
    throw ShapeError("linear: sizes must be positive, got " + std::to_string(in_features) +
                     " -> " + std::to_string(out_features));
  }
  weight_ = register_parameter("weight", Tensor::zeros({out_features, in_features}));
  if (bias) bias_ = register_parameter("bias", Tensor::zeros({out_features}));
}

Linear::Linear(Tensor shared_weight, bool bias) : weight_(std::move(shared_weight)), owns_weight_(false) {
  if (!weight_.defined() || weight_.rank() != 2) {
    throw ShapeError("linear: a shared weight must be [out, in]");
  }
  if (bias) bias_ = register_parameter("bias", Tensor::zeros({weight_.dim(0)}));
}

Tensor Linear::forward(const Tensor& x) const { return ops::linear(x, weight_, bias_); }

void Linear::reset_parameters(init::Generator& gen) {
  if (owns_weight_) init_linear_uniform(weight_, in_features(), gen);
  if (bias_.defined()) init_linear_uniform(bias_, in_features(), gen);
}

}  // namespace recur::nn
