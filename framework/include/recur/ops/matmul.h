// Matrix products on the oneDNN matmul primitive, forward and backward. Transposes are
// expressed as strides of the operands, never as copies.
#pragma once

#include "recur/core/tensor.h"

namespace recur::ops {

// op(a) x op(b), where op transposes the last two dimensions when its flag is set.
// Both operands are [M,K]x[K,N] (rank 2) or batched [B,M,K]x[B,K,N] (rank 3, same B).
// Operands are f32, or at inference (no gradient to record) one or both bf16: the product
// then runs in bf16 (the f32 operand converted) with f32 accumulation and an f32 result.
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false);

// `x` kept as an operand of many later matmuls at inference (an attention memory, read
// at every decoder step): a bf16 copy under the bf16 inference precision (converted once
// instead of once per product), x itself otherwise.
Tensor matmul_operand(const Tensor& x);

}  // namespace recur::ops
