// Reshape-like ops (recorded views), permutations (oneDNN reorder with permuted
// strides) and broadcasting.
#include "recur/ops/shape.h"

#include "dnnl_util.h"
#include "kernels.h"
#include "op_util.h"
#include "recur/ops/reduce.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

Shape infer_shape(const Tensor& x, Shape shape) {
  std::int64_t known = 1, unknown = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1 && unknown < 0) {
      unknown = static_cast<std::int64_t>(i);
    } else if (shape[i] < 0) {
      throw ShapeError("reshape: bad target shape " + shape_str(shape));
    } else {
      known *= shape[i];
    }
  }
  if (unknown >= 0) {
    if (known == 0 || x.numel() % known != 0) {
      throw ShapeError("reshape: cannot reshape " + shape_str(x.shape()) + " to " +
                       shape_str(shape));
    }
    shape[static_cast<std::size_t>(unknown)] = x.numel() / known;
  }
  if (shape_numel(shape) != x.numel()) {
    throw ShapeError("reshape: cannot reshape " + shape_str(x.shape()) + " (" +
                     std::to_string(x.numel()) + " elements) to " + shape_str(shape));
  }
  return shape;
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape) {
  if (!x.defined()) throw ShapeError("reshape: undefined tensor");
  Tensor y = x.view(infer_shape(x, shape));
  autograd::record("reshape", {x}, {&y},
                   [s = x.shape()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {g[0].view(s)};
                   });
  return y;
}

Tensor unsqueeze(const Tensor& x, std::int64_t axis) {
  if (!x.defined()) throw ShapeError("unsqueeze: undefined tensor");
  std::int64_t a = normalize_axis("unsqueeze", axis, x.rank() + 1);
  Shape s = x.shape();
  s.insert(s.begin() + a, 1);
  return reshape(x, s);
}

Tensor permute(const Tensor& x, const std::vector<std::int64_t>& perm) {
  check_f32("permute", "x", x);
  std::size_t r = x.shape().size();
  std::vector<std::int64_t> inverse(r, -1);
  for (std::size_t i = 0; i < perm.size() && perm.size() == r; ++i) {
    std::int64_t p = perm[i];
    if (p < 0 || p >= static_cast<std::int64_t>(r) || inverse[static_cast<std::size_t>(p)] >= 0) {
      inverse.assign(r, -2);
      break;
    }
    inverse[static_cast<std::size_t>(p)] = static_cast<std::int64_t>(i);
  }
  if (perm.size() != r || (r && inverse[0] == -2)) {
    throw ShapeError("permute: expected a permutation of 0.." + std::to_string(r) + "-1 for " +
                     shape_str(x.shape()));
  }
  Shape out(r);
  for (std::size_t i = 0; i < r; ++i) out[i] = x.shape()[static_cast<std::size_t>(perm[i])];
  Tensor y = Tensor::zeros(out);
  if (r < 2) {  // nothing to permute
    y.copy_from(x);
  } else if (y.numel() > 0) {
    // The destination seen with the source's logical dims: source dim perm[i] advances
    // by the stride of output dim i.
    auto out_strides = plain_strides(out);
    dnnl::memory::dims strides(r);
    for (std::size_t i = 0; i < r; ++i) strides[static_cast<std::size_t>(perm[i])] = out_strides[i];
    dnnl::memory::desc dst_md(to_dims(x.shape()), dnnl::memory::data_type::f32, strides);
    std::string key = cache_key("permute", {x.shape(), perm});
    run_reorder(x.raw_data(), plain_desc(x.shape(), DType::f32), y.raw_data(), dst_md, key);
  }
  autograd::record("permute", {x}, {&y},
                   [inverse](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {permute(g[0], inverse)};
                   });
  return y;
}

Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1) {
  if (!x.defined()) throw ShapeError("transpose: undefined tensor");
  std::vector<std::int64_t> perm(static_cast<std::size_t>(x.rank()));
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<std::int64_t>(i);
  std::swap(perm[static_cast<std::size_t>(normalize_axis("transpose", dim0, x.rank()))],
            perm[static_cast<std::size_t>(normalize_axis("transpose", dim1, x.rank()))]);
  return permute(x, perm);
}

Tensor expand(const Tensor& x, const Shape& shape) {
  check_f32("expand", "x", x);
  if (broadcast_shape("expand", x.shape(), shape) != shape) {
    throw ShapeError("expand: " + shape_str(x.shape()) + " does not broadcast to " +
                     shape_str(shape));
  }
  Tensor y = run_expand(x, shape);
  autograd::record("expand", {x}, {&y},
                   [s = x.shape()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {sum_to(g[0], s)};
                   });
  return y;
}

}  // namespace recur::ops
