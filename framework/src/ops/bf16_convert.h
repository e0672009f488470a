// Private to the ops layer: f32 <-> bf16 conversion of contiguous buffers for the bf16
// paths (recur/ops/precision.h). Rounds to nearest even; a NaN stays a NaN; on a CPU with
// native bf16 (the only kind the bf16 paths run on) f32 denormals become zero.
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops::detail {

void f32_to_bf16(const float* src, std::uint16_t* dst, std::int64_t n);
void bf16_to_f32(const std::uint16_t* src, float* dst, std::int64_t n);

// A bf16 copy of a contiguous f32 tensor (same shape and element order).
Tensor to_bf16(const Tensor& x);

}  // namespace recur::ops::detail
