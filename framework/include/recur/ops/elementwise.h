// Elementwise ops (oneDNN binary and eltwise primitives), forward and backward.
#pragma once

#include "recur/core/tensor.h"

namespace recur::ops {

// dst += src, same shape, not recorded (gradient accumulation, optimizer updates).
void add_inplace(Tensor& dst, const Tensor& src);

}  // namespace recur::ops
