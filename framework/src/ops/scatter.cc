// Scatter-add along the last axis (recur/ops/scatter.h): plain loops, oneDNN has no
// scatter primitive. Forward scatters, backward gathers.
#include "recur/ops/scatter.h"

#include <string>

#include "op_util.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

// dx[b, t, s] = dy[b, t, ids[b, s]].
Tensor gather_last(const Tensor& dy, const Tensor& ids, std::int64_t t, std::int64_t s) {
  const std::int64_t b = ids.dim(0), width = dy.dim(2);
  Tensor dx = Tensor::zeros({b, t, s});
  const float* g = dy.data<float>();
  const std::int64_t* id = ids.data<std::int64_t>();
  float* o = dx.data<float>();
  for (std::int64_t i = 0; i < b; ++i) {
    for (std::int64_t j = 0; j < t; ++j) {
      const float* row = g + (i * t + j) * width;
      float* out = o + (i * t + j) * s;
      for (std::int64_t k = 0; k < s; ++k) out[k] = row[id[i * s + k]];
    }
  }
  return dx;
}

}  // namespace

Tensor scatter_add_last(const Tensor& x, const Tensor& ids, std::int64_t width) {
  check_f32("scatter_add_last", "x", x);
  check_dtype("scatter_add_last", "ids", ids, DType::i64);
  check_rank("scatter_add_last", "x", x, 3);
  check_rank("scatter_add_last", "ids", ids, 2);
  const std::int64_t b = x.dim(0), t = x.dim(1), s = x.dim(2);
  if (ids.dim(0) != b || ids.dim(1) != s) {
    throw ShapeError("scatter_add_last: ids must be [" + std::to_string(b) + ", " +
                     std::to_string(s) + "] for x " + shape_str(x.shape()) + ", got " +
                     shape_str(ids.shape()));
  }
  const std::int64_t* id = ids.data<std::int64_t>();
  for (std::int64_t i = 0; i < ids.numel(); ++i) {
    if (id[i] < 0 || id[i] >= width) {
      throw ShapeError("scatter_add_last: id " + std::to_string(id[i]) + " at position " +
                       std::to_string(i) + " is out of range [0, " + std::to_string(width) + ")");
    }
  }
  Tensor y = Tensor::zeros({b, t, width});
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (std::int64_t i = 0; i < b; ++i) {
    for (std::int64_t j = 0; j < t; ++j) {
      const float* in = px + (i * t + j) * s;
      float* out = py + (i * t + j) * width;
      for (std::int64_t k = 0; k < s; ++k) out[id[i * s + k]] += in[k];
    }
  }
  if (!autograd::needs_grad({&x})) return y;
  autograd::record("scatter_add_last", {x, ids}, {&y},
                   [ids = ids.clone(), t, s](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {gather_last(g[0], ids, t, s), Tensor()};
                   });
  return y;
}

}  // namespace recur::ops
