// Private to the ops layer: argument checks shared by the ops, with messages that say
// what was expected. Every check names the op and the argument.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/core/error.h"
#include "recur/core/tensor.h"

namespace recur::ops::detail {

// Throws ShapeError unless `t` is a defined f32 tensor.
void check_f32(const char* op, const char* arg, const Tensor& t);
// Throws ShapeError unless `t` is a defined tensor of `dtype`.
void check_dtype(const char* op, const char* arg, const Tensor& t, DType dtype);
// Throws ShapeError unless `t` has rank `rank`.
void check_rank(const char* op, const char* arg, const Tensor& t, std::int64_t rank);

// Axis in [-rank, rank) mapped to [0, rank); ShapeError otherwise.
std::int64_t normalize_axis(const char* op, std::int64_t axis, std::int64_t rank);

// `s` with leading 1s prepended up to `rank` dimensions.
Shape pad_leading(const Shape& s, std::size_t rank);

// The shape `a` and `b` broadcast to (numpy/torch rules: aligned at the last dimension,
// size-1 and missing dimensions stretch); ShapeError naming `op` if they do not.
Shape broadcast_shape(const char* op, const Shape& a, const Shape& b);

// Row-major strides (in elements) of a shape.
std::vector<std::int64_t> plain_strides(const Shape& s);

// Rows x columns view of a shape at `axis`: outer = prod(dims before axis), inner =
// prod(dims after axis).
struct AxisSplit {
  std::int64_t outer = 1;
  std::int64_t size = 1;
  std::int64_t inner = 1;
};
AxisSplit split_at(const Shape& s, std::int64_t axis);

// Calls f(i, j) for every flat index i of `shape`, with j the flat index of the element
// of a tensor of shape `small` (which broadcasts to `shape`) that lands on i.
template <class F>
void for_each_broadcast(const Shape& shape, const Shape& small, F&& f) {
  std::size_t rank = shape.size();
  Shape ps = pad_leading(small, rank);
  std::vector<std::int64_t> stride(rank, 0);
  for (std::int64_t i = static_cast<std::int64_t>(rank) - 1, s = 1; i >= 0; --i) {
    auto u = static_cast<std::size_t>(i);
    stride[u] = ps[u] == 1 ? 0 : s;
    s *= ps[u];
  }
  std::int64_t total = shape_numel(shape);
  if (total == 0) return;
  std::int64_t last = rank ? shape[rank - 1] : 1;
  std::int64_t last_stride = rank ? stride[rank - 1] : 0;
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t base = 0;  // small's offset of the current row
  for (std::int64_t i = 0; i < total; i += last) {
    for (std::int64_t k = 0; k < last; ++k) f(i + k, base + k * last_stride);
    // Advance the multi-index over all but the last dimension.
    for (std::int64_t d = static_cast<std::int64_t>(rank) - 2; d >= 0; --d) {
      auto u = static_cast<std::size_t>(d);
      base += stride[u];
      if (++index[u] < shape[u]) break;
      base -= stride[u] * shape[u];
      index[u] = 0;
    }
  }
}

// The float bits of `f`, for cache keys of primitives that bake a constant in.
std::int64_t float_key(float f);

}  // namespace recur::ops::detail
