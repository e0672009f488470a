// Sums and means (oneDNN reduction) and the maximum along an axis, forward and backward.
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops {

// Over all elements: a scalar (shape []).
Tensor sum(const Tensor& x);
Tensor mean(const Tensor& x);
// Along one axis; keepdim keeps it with size 1.
Tensor sum(const Tensor& x, std::int64_t axis, bool keepdim = false);
Tensor mean(const Tensor& x, std::int64_t axis, bool keepdim = false);

// The largest element along one axis (torch.max(x, axis).values). The gradient goes to
// the first position holding the maximum; NaN compares as nothing larger.
Tensor max(const Tensor& x, std::int64_t axis, bool keepdim = false);

// x summed down to `shape`, the inverse of broadcasting: x's shape must be what `shape`
// broadcasts to. Gradients of broadcast inputs use it.
Tensor sum_to(const Tensor& x, const Shape& shape);

}  // namespace recur::ops
