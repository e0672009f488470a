// Batch normalization over (N, H, W) per channel on oneDNN (forward + backward), as
// torch.nn.functional.batch_norm for 4-d input.
#pragma once

#include "recur/core/tensor.h"

namespace recur::ops {

struct BatchNormOptions {
  // Training: normalize with the batch's statistics and update the running ones.
  // Evaluation: normalize with the running statistics.
  bool training = true;
  // running = (1 - momentum) running + momentum batch; the variance that enters the
  // running estimate is the unbiased one (divided by n - 1), as in torch.
  float momentum = 0.1f;
  float eps = 1e-5f;
  // x stored [N, H, W, C]: the channel is the last dimension.
  bool channels_last = false;
};

// x [N, C, H, W]; weight (gamma) and bias (beta) [C] or undefined (no affine part);
// running_mean and running_var [C] f32, updated in place while training (they may be
// undefined while training: nothing is tracked then; they are required in evaluation).
// Differentiable in x, weight and bias. In evaluation the statistics are constants.
Tensor batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                  const Tensor& running_mean, const Tensor& running_var,
                  const BatchNormOptions& options = {});

}  // namespace recur::ops
