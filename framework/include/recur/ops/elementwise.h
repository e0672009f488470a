// Elementwise ops (oneDNN binary and eltwise primitives), forward and backward.
//
// Binary ops broadcast like torch: shapes are aligned at their last dimension, and a
// dimension of size 1 or a missing leading dimension stretches ([B,T,H] + [H],
// [B,T,H] * [B,1,H]). The gradient of a broadcast input is summed back to its shape.
// All ops take and return f32 tensors.
#pragma once

#include "recur/core/tensor.h"

namespace recur::ops {

// dst += src, same shape, not recorded (gradient accumulation, optimizer updates).
void add_inplace(Tensor& dst, const Tensor& src);

Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);

// x * factor.
Tensor scale(const Tensor& x, float factor);
// x + value.
Tensor add_scalar(const Tensor& x, float value);

Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor exp(const Tensor& x);
// Natural logarithm; log(0) is -inf, as in torch.
Tensor log(const Tensor& x);

// `value` where mask != 0, x elsewhere. `mask` is f32 (0/1) or u8 and broadcasts over x
// by the rules above; a [B,S] padding mask over [B,T,S] scores is passed as [B,1,S]
// (ops::unsqueeze(mask, 1)). The gradient flows to x where the mask is 0; the mask gets
// none.
Tensor masked_fill(const Tensor& x, const Tensor& mask, float value);

}  // namespace recur::ops
