// 2-d convolution as a Module: parameters `weight` [out, in, kh, kw] and optional `bias`
// [out], the layouts of torch's nn.Conv2d (so converted torch weights load unchanged),
// on ops::conv2d. Inference reads the weight in oneDNN's preferred layout, reordered once
// per version of the weight (like linear and RNN weights).
#pragma once

#include <array>
#include <cstdint>

#include "recur/core/tensor.h"
#include "recur/nn/init.h"
#include "recur/nn/module.h"
#include "recur/ops/conv.h"

namespace recur::nn {

struct Conv2dSettings {
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  std::array<std::int64_t, 2> kernel{3, 3};
  ops::Conv2dOptions options;  // stride, padding, dilation
  bool bias = true;
};

class Conv2d final : public Module {
 public:
  explicit Conv2d(const Conv2dSettings& settings);

  // x [N, in, H, W] -> [N, out, OH, OW].
  Tensor forward(const Tensor& x) const;

  // torch's default: weight by kaiming_uniform(a = sqrt(5)), i.e. U(-b, b) with
  // b = 1 / sqrt(fan_in), and the bias the same; fan_in = in * kh * kw.
  void reset_parameters(init::Generator& gen);
  // He et al. (2015) for layers followed by ReLU: N(0, sqrt(2 / fan_out)) weights (torch's
  // kaiming_normal_(mode="fan_out", nonlinearity="relu"), as torchvision's ResNets), zero bias.
  void reset_parameters_relu(init::Generator& gen);

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  const Conv2dSettings& settings() const { return settings_; }

 private:
  Conv2dSettings settings_;
  Tensor weight_;
  Tensor bias_;
};

}  // namespace recur::nn
