#include "recur/nn/batch_norm2d.h"

#include <string>

#include "recur/nn/init.h"

namespace recur::nn {

BatchNorm2d::BatchNorm2d(std::int64_t channels, float momentum, float eps)
    : momentum_(momentum), eps_(eps) {
  if (channels < 1) throw ShapeError("batch_norm2d: channels must be positive, got " + std::to_string(channels));
  weight_ = register_parameter("weight", Tensor::zeros({channels}));
  bias_ = register_parameter("bias", Tensor::zeros({channels}));
  running_mean_ = register_buffer("running_mean", Tensor::zeros({channels}));
  running_var_ = register_buffer("running_var", Tensor::zeros({channels}));
  reset_parameters();
}

Tensor BatchNorm2d::forward(const Tensor& x, bool channels_last) {
  ops::BatchNormOptions o;
  o.channels_last = channels_last;
  o.training = training();
  o.momentum = momentum_;
  o.eps = eps_;
  return ops::batch_norm(x, weight_, bias_, running_mean_, running_var_, o);
}

void BatchNorm2d::reset_parameters() {
  init::constant(weight_, 1.0f);
  init::constant(bias_, 0.0f);
  init::constant(running_mean_, 0.0f);
  init::constant(running_var_, 1.0f);
}

}  // namespace recur::nn
