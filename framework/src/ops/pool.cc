#include "recur/ops/pool.h"

#include <string>

#include "dnnl_util.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

using dnnl::memory;

// Everything that fixes a pooling primitive, in oneDNN's terms. Pooling runs on the
// layout the tensors are stored in (NCHW, or NHWC for channels_last): no reorders. x and
// y are the logical [N, C, H, W] dims.
struct PoolGeometry {
  dnnl::algorithm alg;
  Shape x, y;
  memory::dims kernel, strides, pad_l, pad_r;
  bool channels_last = false;

  std::string key(const char* op, int extra) const {
    return cache_key(op, {x},
                     {static_cast<std::int64_t>(alg), kernel[0], kernel[1], strides[0], strides[1],
                      pad_l[0], pad_l[1], extra, channels_last});
  }
  memory::desc stored(const Shape& s) const { return image_desc(s, channels_last); }
  dnnl::pooling_forward::primitive_desc forward_pd(dnnl::prop_kind prop) const {
    dnnl::pooling_forward::desc d(prop, alg, stored(x), stored(y), strides, kernel, pad_l, pad_r);
    return dnnl::pooling_forward::primitive_desc(d, scratchpad_attr(), engine());
  }
};

PoolGeometry check_pool(const char* op, const Tensor& x, const Pool2dOptions& o,
                        dnnl::algorithm alg) {
  if (!x.defined() || x.rank() != 4 || x.dtype() != DType::f32) {
    throw ShapeError(std::string(op) + ": expected an f32 input " +
                     (o.channels_last ? "[N, H, W, C]" : "[N, C, H, W]") + ", got " +
                     (x.defined() ? shape_str(x.shape()) + " " + std::string(dtype_name(x.dtype()))
                                  : std::string("undefined")));
  }
  const Shape xs = nchw_dims(x.shape(), o.channels_last);
  PoolGeometry g{alg, xs, {xs[0], xs[1], 0, 0}, {}, {}, {}, {}, o.channels_last};
  for (int i = 0; i < 2; ++i) {
    std::int64_t k = o.kernel[i], s = o.stride[i] == 0 ? k : o.stride[i], p = o.padding[i];
    if (k < 1 || s < 1 || p < 0 || 2 * p > k) {
      throw ShapeError(std::string(op) +
                       ": expected kernel >= 1, stride >= 1 (or 0: the kernel) and "
                       "0 <= padding <= kernel / 2, got kernel " +
                       std::to_string(k) + ", stride " + std::to_string(o.stride[i]) +
                       ", padding " + std::to_string(p));
    }
    std::int64_t padded = xs[2 + i] + 2 * p;
    if (padded < k) {
      throw ShapeError(std::string(op) + ": kernel " + std::to_string(k) +
                       " is larger than input " + shape_str(x.shape()) + " padded by " +
                       std::to_string(p));
    }
    g.y[2 + i] = (padded - k) / s + 1;
    g.kernel.push_back(k);
    g.strides.push_back(s);
    g.pad_l.push_back(p);
    g.pad_r.push_back(p);
  }
  return g;
}

struct PoolForward {
  dnnl::pooling_forward::primitive_desc pd;
  dnnl::pooling_forward prim;
};

struct PoolBackward {
  dnnl::pooling_backward::primitive_desc pd;
  dnnl::pooling_backward prim;
};

Tensor pool_backward(const PoolGeometry& g, const Tensor& grad_y, const memory& workspace) {
  static PrimitiveCache<PoolBackward> cache;
  const auto& c = cache.get(g.key("pool2d_bwd", 0), [&] {
    return guarded("pooling backward", [&] {
      dnnl::pooling_backward::desc d(g.alg, g.stored(g.x), g.stored(g.y), g.strides, g.kernel, g.pad_l,
                                     g.pad_r);
      dnnl::pooling_backward::primitive_desc pd(d, scratchpad_attr(), engine(),
                                                g.forward_pd(dnnl::prop_kind::forward_training));
      return PoolBackward{pd, dnnl::pooling_backward(pd)};
    });
  });
  Tensor grad_x = Tensor::zeros(stored_dims(g.x, g.channels_last));
  std::unordered_map<int, memory> args{
      {DNNL_ARG_DIFF_DST, as_memory(grad_y, g.stored(g.y))},
      {DNNL_ARG_DIFF_SRC, as_output(grad_x, g.stored(g.x))}};
  if (workspace) args.emplace(DNNL_ARG_WORKSPACE, workspace);
  execute(c.prim, args);
  return grad_x;
}

// Runs the pooling `g` on x into a tensor of `out_shape` (g.y or a view of it).
Tensor pool(const char* name, const PoolGeometry& g, const Tensor& x, const Shape& out_shape) {
  bool training = autograd::needs_grad({&x});
  static PrimitiveCache<PoolForward> cache;
  const auto& c = cache.get(g.key("pool2d", training), [&] {
    return guarded(name, [&] {
      auto pd = g.forward_pd(training ? dnnl::prop_kind::forward_training
                                      : dnnl::prop_kind::forward_inference);
      return PoolForward{pd, dnnl::pooling_forward(pd)};
    });
  });
  Tensor y = Tensor::empty(out_shape);  // the primitive writes every element
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, as_memory(x, g.stored(g.x))},
                                       {DNNL_ARG_DST, as_output(y, g.stored(g.y))}};
  // Max pooling remembers where each maximum came from; backward needs it. The workspace
  // lives in a pooled tensor the backward closure keeps.
  Tensor held;
  memory workspace;
  if (const auto desc = c.pd.workspace_desc(); desc.get_size() > 0) {
    workspace = pooled_memory(desc, held);
    args.emplace(DNNL_ARG_WORKSPACE, workspace);
  }
  execute(c.prim, args);
  autograd::record(name, {x}, {&y},
                   [g, held, workspace](const std::vector<Tensor>& grads) -> std::vector<Tensor> {
                     return {pool_backward(g, grads[0], workspace)};
                   });
  return y;
}

}  // namespace

Tensor max_pool2d(const Tensor& x, const Pool2dOptions& options) {
  PoolGeometry g = check_pool("max_pool2d", x, options, dnnl::algorithm::pooling_max);
  return pool("max_pool2d", g, x, stored_dims(g.y, g.channels_last));
}

Tensor avg_pool2d(const Tensor& x, const Pool2dOptions& options) {
  auto alg = options.count_include_pad ? dnnl::algorithm::pooling_avg_include_padding
                                       : dnnl::algorithm::pooling_avg_exclude_padding;
  PoolGeometry g = check_pool("avg_pool2d", x, options, alg);
  return pool("avg_pool2d", g, x, stored_dims(g.y, g.channels_last));
}

Tensor global_avg_pool2d(const Tensor& x) {
  if (!x.defined() || x.rank() != 4 || x.dim(2) < 1 || x.dim(3) < 1) {
    throw ShapeError("global_avg_pool2d: expected input [N, C, H, W] with H, W >= 1, got " +
                     (x.defined() ? shape_str(x.shape()) : std::string("undefined")));
  }
  Pool2dOptions o{.kernel = {x.dim(2), x.dim(3)}, .stride = {1, 1}};
  PoolGeometry g =
      check_pool("global_avg_pool2d", x, o, dnnl::algorithm::pooling_avg_exclude_padding);
  return pool("global_avg_pool2d", g, x, {x.dim(0), x.dim(1)});
}

}  // namespace recur::ops
