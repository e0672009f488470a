// 2-d convolution on oneDNN (forward, backward data, backward weights and bias), as
// torch.nn.functional.conv2d without groups.
#pragma once

#include <array>
#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops {

struct Conv2dOptions {
  std::array<std::int64_t, 2> stride{1, 1};    // (h, w), >= 1
  std::array<std::int64_t, 2> padding{0, 0};   // zeros on both sides, (h, w), >= 0
  std::array<std::int64_t, 2> dilation{1, 1};  // torch convention: 1 means dense
  // Input and output stored [N, H, W, C] (torch's channels_last memory format): oneDNN
  // computes in that layout as stored, with no reorder in or out of a blocked one.
  bool channels_last = false;
};

// x [N, C, H, W] (channels_last: [N, H, W, C]), weight [O, C, KH, KW], bias [O] or
// undefined -> [N, O, OH, OW] (channels_last: [N, OH, OW, O]) with
// OH = (H + 2 padding - dilation (KH - 1) - 1) / stride + 1 (rounded down), f32 only.
// Differentiable in x, weight and bias.
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = {},
              const Conv2dOptions& options = {});

// relu(conv2d(x, weight, bias) + residual) for inference: the sum and the ReLU are done
// by the convolution as it writes its output (oneDNN post-ops), not as passes of their
// own over the activations. `residual` is optional; when given it has the output's
// shape (stored as the output is). Records nothing for backward.
Tensor conv2d_relu(const Tensor& x, const Tensor& weight, const Tensor& bias = {},
                   const Conv2dOptions& options = {}, const Tensor& residual = {});

}  // namespace recur::ops
