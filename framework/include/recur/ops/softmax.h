// Softmax and log-softmax along an axis (oneDNN softmax / logsoftmax primitives and
// their backward primitives).
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops {

// Negative axes count from the end.
Tensor softmax(const Tensor& x, std::int64_t axis = -1);
Tensor log_softmax(const Tensor& x, std::int64_t axis = -1);

// x becomes its log-softmax, in its own storage when no gradient is recorded through it
// (a decoder step's scores over a vocabulary: the output lands where the input was just
// read, not in a fresh buffer of megabytes), else as log_softmax(x, axis). Only for a
// tensor whose storage nothing else reads.
void log_softmax_in_place(Tensor& x, std::int64_t axis = -1);

}  // namespace recur::ops
