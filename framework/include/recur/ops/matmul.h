// Matrix products on the oneDNN matmul primitive, forward and backward. Transposes are
// expressed as strides of the operands, never as copies.
#pragma once

#include "recur/core/tensor.h"

namespace recur::ops {

// op(a) x op(b), where op transposes the last two dimensions when its flag is set.
// Both operands are [M,K]x[K,N] (rank 2) or batched [B,M,K]x[B,K,N] (rank 3, same B).
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false);

}  // namespace recur::ops
