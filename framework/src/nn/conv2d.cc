#include "recur/nn/conv2d.h"

#include <cmath>
#include <string>

namespace recur::nn {

Conv2d::Conv2d(const Conv2dSettings& settings) : settings_(settings) {
  const auto& s = settings_;
  if (s.in_channels < 1 || s.out_channels < 1 || s.kernel[0] < 1 || s.kernel[1] < 1) {
    throw ShapeError("conv2d: channels and kernel must be positive, got " +
                     std::to_string(s.in_channels) + " -> " + std::to_string(s.out_channels) +
                     ", kernel " + std::to_string(s.kernel[0]) + "x" + std::to_string(s.kernel[1]));
  }
  weight_ = register_parameter(
      "weight", Tensor::zeros({s.out_channels, s.in_channels, s.kernel[0], s.kernel[1]}));
  if (s.bias) bias_ = register_parameter("bias", Tensor::zeros({s.out_channels}));
}

Tensor Conv2d::forward(const Tensor& x) const {
  return ops::conv2d(x, weight_, bias_, settings_.options);
}

void Conv2d::reset_parameters(init::Generator& gen) {
  const double fan_in = static_cast<double>(weight_.numel() / weight_.dim(0));
  const auto bound = static_cast<float>(1.0 / std::sqrt(fan_in));
  init::uniform(weight_, -bound, bound, gen);
  if (bias_.defined()) init::uniform(bias_, -bound, bound, gen);
}

void Conv2d::reset_parameters_relu(init::Generator& gen) {
  const double fan_out = static_cast<double>(weight_.numel() / weight_.dim(1));
  init::normal(weight_, 0.0f, static_cast<float>(std::sqrt(2.0 / fan_out)), gen);
  if (bias_.defined()) init::constant(bias_, 0.0f);
}

}  // namespace recur::nn
