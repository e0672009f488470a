// 2-d max and average pooling on oneDNN (forward + backward), as
// torch.nn.functional.max_pool2d / avg_pool2d with ceil_mode=False.
#pragma once

#include <array>
#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops {

struct Pool2dOptions {
  std::array<std::int64_t, 2> kernel{2, 2};   // (h, w), >= 1
  std::array<std::int64_t, 2> stride{0, 0};   // 0 means "same as kernel", like torch
  std::array<std::int64_t, 2> padding{0, 0};  // at most half the kernel, like torch
  // Average pooling only: divide by the whole window (torch's default) rather than by
  // the number of real (non-padding) elements in it.
  bool count_include_pad = true;
  // Input and output stored [N, H, W, C] (max_pool2d and avg_pool2d).
  bool channels_last = false;
};

// x [N, C, H, W] -> [N, C, OH, OW] (channels_last: [N, H, W, C] -> [N, OH, OW, C]) with OH = (H + 2 padding - kernel) / stride + 1
// (rounded down). Padding never wins a max. f32 only; differentiable in x.
Tensor max_pool2d(const Tensor& x, const Pool2dOptions& options);
Tensor avg_pool2d(const Tensor& x, const Pool2dOptions& options);

// Mean over H and W: x [N, C, H, W] -> [N, C]. Differentiable in x.
Tensor global_avg_pool2d(const Tensor& x);

}  // namespace recur::ops
