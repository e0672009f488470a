// Affine layer with torch semantics, on the oneDNN matmul primitive.
#pragma once

#include "recur/core/tensor.h"

namespace recur::ops {

// y = x W^T + b. x is [..., K] of rank >= 1 (leading dimensions are flattened to rows),
// weight is [N, K] (torch's nn.Linear layout), bias is [N] or undefined; y is [..., N].
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

}  // namespace recur::ops
