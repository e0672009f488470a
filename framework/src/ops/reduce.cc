// Sums and means on the oneDNN reduction primitive (their gradients broadcast the
// output gradient back over the reduced dimensions, oneDNN binary); max in a plain loop.
#include "recur/ops/reduce.h"

#include "kernels.h"
#include "op_util.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

// Reduces x to `keep` (x's rank, reduced dims 1) and returns it shaped `out`.
Tensor reduce(const char* name, const Tensor& x, const Shape& keep, const Shape& out, bool mean) {
  Tensor y = run_reduce(x, keep, mean).view(out);
  std::int64_t kept = shape_numel(keep);
  float factor = mean && kept > 0 ? static_cast<float>(kept) / static_cast<float>(x.numel()) : 1.0f;
  autograd::record(
      name, {x}, {&y},
      [keep, factor, s = x.shape()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
        Tensor gk = g[0].view(keep);
        if (factor != 1.0f) gk = run_linear(gk, factor, 0.0f);
        return {run_expand(gk, s)};
      });
  return y;
}

Tensor reduce_all(const char* name, const Tensor& x, bool mean) {
  check_f32(name, "x", x);
  return reduce(name, x, Shape(x.shape().size(), 1), Shape{}, mean);
}

Tensor reduce_axis(const char* name, const Tensor& x, std::int64_t axis, bool keepdim, bool mean) {
  check_f32(name, "x", x);
  auto a = static_cast<std::size_t>(normalize_axis(name, axis, x.rank()));
  Shape keep = x.shape();
  keep[a] = 1;
  Shape out = keep;
  if (!keepdim) out.erase(out.begin() + static_cast<std::ptrdiff_t>(a));
  return reduce(name, x, keep, out, mean);
}

}  // namespace

Tensor sum(const Tensor& x) { return reduce_all("sum", x, false); }
Tensor mean(const Tensor& x) { return reduce_all("mean", x, true); }

Tensor sum(const Tensor& x, std::int64_t axis, bool keepdim) {
  return reduce_axis("sum", x, axis, keepdim, false);
}

Tensor mean(const Tensor& x, std::int64_t axis, bool keepdim) {
  return reduce_axis("mean", x, axis, keepdim, true);
}

Tensor max(const Tensor& x, std::int64_t axis, bool keepdim) {
  check_f32("max", "x", x);
  const std::int64_t rank = static_cast<std::int64_t>(x.shape().size());
  const std::int64_t a = normalize_axis("max", axis, rank);
  const AxisSplit split = split_at(x.shape(), a);
  if (split.size == 0) throw ShapeError("max: axis " + std::to_string(axis) + " of " + shape_str(x.shape()) + " is empty");
  Shape out = x.shape();
  if (keepdim) {
    out[static_cast<std::size_t>(a)] = 1;
  } else {
    out.erase(out.begin() + a);
  }
  Tensor y = Tensor::empty(out);
  std::vector<std::int64_t> where(static_cast<std::size_t>(split.outer * split.inner));
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (std::int64_t o = 0; o < split.outer; ++o) {
    for (std::int64_t i = 0; i < split.inner; ++i) {
      const float* base = px + o * split.size * split.inner + i;
      std::int64_t best = 0;
      for (std::int64_t k = 1; k < split.size; ++k) {
        if (base[k * split.inner] > base[best * split.inner]) best = k;
      }
      py[o * split.inner + i] = base[best * split.inner];
      where[static_cast<std::size_t>(o * split.inner + i)] = best;
    }
  }
  autograd::record("max", {x}, {&y},
                   [s = x.shape(), split, where = std::move(where)](const std::vector<Tensor>& g) {
                     Tensor dx = Tensor::zeros(s);
                     const float* pg = g[0].data<float>();
                     float* pd = dx.data<float>();
                     for (std::int64_t o = 0; o < split.outer; ++o) {
                       for (std::int64_t i = 0; i < split.inner; ++i) {
                         const std::int64_t k = where[static_cast<std::size_t>(o * split.inner + i)];
                         pd[(o * split.size + k) * split.inner + i] = pg[o * split.inner + i];
                       }
                     }
                     return std::vector<Tensor>{dx};
                   });
  return y;
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  check_f32("sum_to", "x", x);
  if (x.shape() == shape) return x;
  if (shape.size() > x.shape().size() || broadcast_shape("sum_to", shape, x.shape()) != x.shape()) {
    throw ShapeError("sum_to: " + shape_str(shape) + " does not broadcast to " +
                     shape_str(x.shape()));
  }
  Tensor y = run_reduce(x, shape, false);
  autograd::record("sum_to", {x}, {&y},
                   [s = x.shape()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {run_expand(g[0], s)};
                   });
  return y;
}

}  // namespace recur::ops
