// Softmax and log-softmax along an axis (oneDNN softmax / logsoftmax primitives and
// their backward primitives).
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops {

// Negative axes count from the end.
Tensor softmax(const Tensor& x, std::int64_t axis = -1);
Tensor log_softmax(const Tensor& x, std::int64_t axis = -1);

}  // namespace recur::ops
