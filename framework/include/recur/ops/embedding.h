// Embedding lookup: rows of a table gathered by integer ids.
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops {

// ids: i64 tensor of any shape, table: f32 [V, E]; returns [ids..., E]. An id outside
// [0, V) is a ShapeError naming the id. The gradient of the table is the scatter-add of
// the output gradient; the row `padding_id` gets none (pass -1 for no padding id).
Tensor embedding(const Tensor& ids, const Tensor& table, std::int64_t padding_id = -1);

}  // namespace recur::ops
