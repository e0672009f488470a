#include "recur/nn/linear.h"

#include <cmath>
#include <string>

#include "recur/ops/linear.h"
#include "seeded_init.h"

namespace recur::nn {

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

void Linear::reset_parameters(std::mt19937_64& rng) {
  const auto bound = static_cast<float>(1.0 / std::sqrt(static_cast<double>(in_features())));
  if (owns_weight_) detail::fill_uniform(weight_, bound, rng);
  if (bias_.defined()) detail::fill_uniform(bias_, bound, rng);
}

}  // namespace recur::nn
