// Scatter-add along the last axis by integer ids: the copy distribution of a
// pointer-generator decoder (attention over source positions onto the source tokens'
// vocabulary ids).
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops {

// x [B, T, S] f32, ids [B, S] i64 in [0, width) -> y [B, T, width] with
// y[b, t, ids[b, s]] += x[b, t, s] (repeated ids add up; columns no id names are 0).
// torch: zeros(B, T, width).scatter_add_(2, ids[:, None, :].expand(B, T, S), x).
// The gradient of x is the gather dx[b, t, s] = dy[b, t, ids[b, s]]; ids get none.
// An id outside [0, width) is a ShapeError naming it.
Tensor scatter_add_last(const Tensor& x, const Tensor& ids, std::int64_t width);

}  // namespace recur::ops
