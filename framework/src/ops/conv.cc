#include "recur/ops/conv.h"

#include <cstring>
#include <string>

#include "dnnl_util.h"
#include "layout_cache.h"
#include "op_util.h"
#include "recur/ops/precision.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

using dnnl::memory;
using Tag = memory::format_tag;

// Everything that fixes a convolution primitive, in oneDNN's terms. x and y are the
// logical [N, C, H, W] dims, whatever the layout the tensors are stored in.
struct ConvGeometry {
  Shape x, w, y;
  bool has_bias = false;
  bool channels_last = false;
  memory::dims strides, dilates, pad_l, pad_r;  // dilates: oneDNN's, 0 means dense

  std::string key(const char* op, int extra = 0) const {
    return cache_key(op, {x, w},
                     {has_bias, strides[0], strides[1], dilates[0], dilates[1], pad_l[0], pad_l[1],
                      pad_r[0], pad_r[1], extra, channels_last});
  }
  memory::desc any(const Shape& s, memory::data_type type = memory::data_type::f32) const {
    return memory::desc(to_dims(s), type, Tag::any);
  }
  // An activation as the primitive should take it: in its own (blocked) layout for NCHW
  // tensors, as stored for channels_last ones.
  memory::desc activation(const Shape& s, memory::data_type type = memory::data_type::f32) const {
    return channels_last ? memory::desc(to_dims(s), type, Tag::nhwc) : any(s, type);
  }
  // An activation tensor's own layout.
  memory::desc stored(const Shape& s) const { return image_desc(s, channels_last); }
  Shape stored_shape(const Shape& s) const { return stored_dims(s, channels_last); }
  memory::desc bias_desc() const { return memory::desc({y[1]}, memory::data_type::f32, Tag::x); }
};

ConvGeometry check_conv(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dOptions& o) {
  if (!x.defined() || !w.defined()) throw ShapeError("conv2d: input and weight are required");
  if (x.rank() != 4 || w.rank() != 4) {
    throw ShapeError(std::string("conv2d: expected input ") + (o.channels_last ? "[N, H, W, C]" : "[N, C, H, W]") +
                     " and weight [O, C, KH, KW], got " + shape_str(x.shape()) + " and " + shape_str(w.shape()));
  }
  check_f32("conv2d", "input", x);
  check_f32("conv2d", "weight", w);
  const Shape xs = nchw_dims(x.shape(), o.channels_last);
  if (xs[1] != w.dim(1)) {
    throw ShapeError("conv2d: input " + shape_str(x.shape()) + " has " + std::to_string(xs[1]) +
                     " channels but weight " + shape_str(w.shape()) + " expects " +
                     std::to_string(w.dim(1)));
  }
  if (b.defined()) {
    check_f32("conv2d", "bias", b);
    if (b.shape() != Shape{w.dim(0)}) {
      throw ShapeError("conv2d: expected bias [" + std::to_string(w.dim(0)) + "], got " +
                       shape_str(b.shape()));
    }
  }
  ConvGeometry g;
  g.x = xs;
  g.w = w.shape();
  g.has_bias = b.defined();
  g.channels_last = o.channels_last;
  g.y = {xs[0], w.dim(0), 0, 0};
  for (int i = 0; i < 2; ++i) {
    std::int64_t s = o.stride[i], p = o.padding[i], d = o.dilation[i];
    if (s < 1 || p < 0 || d < 1) {
      throw ShapeError("conv2d: expected stride >= 1, padding >= 0 and dilation >= 1, got " +
                       std::to_string(s) + ", " + std::to_string(p) + ", " + std::to_string(d));
    }
    std::int64_t extent = d * (w.dim(2 + i) - 1) + 1;
    std::int64_t padded = xs[2 + i] + 2 * p;
    if (w.dim(2 + i) < 1 || padded < extent) {
      throw ShapeError("conv2d: kernel " + shape_str(w.shape()) + " (dilated extent " +
                       std::to_string(extent) + ") does not fit input " + shape_str(x.shape()) +
                       " padded by " + std::to_string(p));
    }
    g.y[2 + i] = (padded - extent) / s + 1;
    g.strides.push_back(s);
    g.dilates.push_back(d - 1);
    g.pad_l.push_back(p);
    g.pad_r.push_back(p);
  }
  return g;
}

// What the convolution does to its output as it writes it (inference only).
struct PostOps {
  bool sum = false;   // adds what the output memory holds (the residual)
  bool relu = false;  // then max(0, .)
  int code() const { return sum + 2 * relu; }
};

// bf16 (inference only, recur/ops/precision.h): input and weight in bf16, bias and
// output f32; the input's conversion rides on the reorder into the primitive's layout.
dnnl::convolution_forward::primitive_desc forward_pd(const ConvGeometry& g, dnnl::prop_kind prop,
                                                     bool bf16 = false, PostOps post = {}) {
  using Fwd = dnnl::convolution_forward;
  auto alg = dnnl::algorithm::convolution_direct;
  const auto in = bf16 ? memory::data_type::bf16 : memory::data_type::f32;
  auto desc = g.has_bias ? Fwd::desc(prop, alg, g.activation(g.x, in), g.any(g.w, in), g.bias_desc(),
                                     g.activation(g.y), g.strides, g.dilates, g.pad_l, g.pad_r)
                         : Fwd::desc(prop, alg, g.activation(g.x, in), g.any(g.w, in), g.activation(g.y),
                                     g.strides, g.dilates, g.pad_l, g.pad_r);
  dnnl::primitive_attr attr = scratchpad_attr();
  if (post.code() != 0) {
    dnnl::post_ops ops;
    if (post.sum) ops.append_sum(1.0f);
    if (post.relu) ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    attr.set_post_ops(ops);
  }
  return Fwd::primitive_desc(desc, attr, engine());
}

// The memories one call computes in or converts to (the primitive's preferred layouts),
// over pooled blocks (pooled_memory) that live as long as this object: a third of a
// captioning job's time went to faulting in the encoder's activations.
class LayoutTemps {
 public:
  // Uninitialised memory of `desc`.
  memory buffer(const memory::desc& desc) { return pooled_memory(desc, held_.emplace_back()); }
  // A memory in layout `want` holding the values of `t`, stored as `stored` (the
  // tensor's own memory when the layouts agree).
  memory to_layout(const Tensor& t, const memory::desc& stored, const memory::desc& want) {
    memory plain = as_memory(t, stored);
    if (plain.get_desc() == want) return plain;
    memory m = buffer(want);
    execute(dnnl::reorder(plain, m), {{DNNL_ARG_FROM, plain}, {DNNL_ARG_TO, m}});
    return m;
  }

 private:
  std::vector<Tensor> held_;
};

// The weight in the primitive's layout. Inference keeps the reordered copy with the
// weight's storage (layout_cache.h): an encoder runs the same convolutions batch after
// batch. Training reorders per call: the weight changes every step.
memory weights_memory(const Tensor& w, const memory::desc& want, bool training, LayoutTemps& temps) {
  if (training) return temps.to_layout(w, as_memory(w).get_desc(), want);
  return cached_layout(w, as_memory(w).get_desc(), want);
}

// A memory in layout `have` to compute into; finish() copies it to the tensor, stored
// as `stored`.
struct Output {
  Output(Tensor t, const memory::desc& stored, const memory::desc& have, LayoutTemps& temps)
      : plain(as_output(t, stored)) {
    mem = plain.get_desc() == have ? plain : temps.buffer(have);
  }
  void finish() {
    if (mem != plain)
      execute(dnnl::reorder(mem, plain), {{DNNL_ARG_FROM, mem}, {DNNL_ARG_TO, plain}});
  }
  memory plain, mem;
};

struct ConvForward {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward prim;
};

struct ConvBackwardData {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data prim;
};

struct ConvBackwardWeights {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights prim;
};

Tensor backward_data(const ConvGeometry& g, const Tensor& grad_y, const Tensor& w) {
  static PrimitiveCache<ConvBackwardData> cache;
  const auto& c = cache.get(g.key("conv2d_bwd_data"), [&] {
    return guarded("conv2d backward data", [&] {
      using Bwd = dnnl::convolution_backward_data;
      Bwd::desc desc(dnnl::algorithm::convolution_direct, g.activation(g.x), g.any(g.w), g.activation(g.y),
                     g.strides, g.dilates, g.pad_l, g.pad_r);
      Bwd::primitive_desc pd(desc, scratchpad_attr(), engine(), forward_pd(g, dnnl::prop_kind::forward_training));
      return ConvBackwardData{pd, Bwd(pd)};
    });
  });
  Tensor grad_x = Tensor::empty(g.stored_shape(g.x));  // the primitive writes every element
  LayoutTemps temps;
  Output out(grad_x, g.stored(g.x), c.pd.diff_src_desc(), temps);
  execute(c.prim, {{DNNL_ARG_DIFF_DST, temps.to_layout(grad_y, g.stored(g.y), c.pd.diff_dst_desc())},
                   {DNNL_ARG_WEIGHTS, temps.to_layout(w, as_memory(w).get_desc(), c.pd.weights_desc())},
                   {DNNL_ARG_DIFF_SRC, out.mem}});
  out.finish();
  return grad_x;
}

// Gradients of the weight and (if the convolution has one) of the bias.
std::pair<Tensor, Tensor> backward_weights(const ConvGeometry& g, const Tensor& grad_y,
                                           const Tensor& x) {
  static PrimitiveCache<ConvBackwardWeights> cache;
  const auto& c = cache.get(g.key("conv2d_bwd_weights"), [&] {
    return guarded("conv2d backward weights", [&] {
      using Bwd = dnnl::convolution_backward_weights;
      auto alg = dnnl::algorithm::convolution_direct;
      auto desc = g.has_bias ? Bwd::desc(alg, g.activation(g.x), g.any(g.w), g.bias_desc(), g.activation(g.y),
                                         g.strides, g.dilates, g.pad_l, g.pad_r)
                             : Bwd::desc(alg, g.activation(g.x), g.any(g.w), g.activation(g.y), g.strides,
                                         g.dilates, g.pad_l, g.pad_r);
      Bwd::primitive_desc pd(desc, scratchpad_attr(), engine(), forward_pd(g, dnnl::prop_kind::forward_training));
      return ConvBackwardWeights{pd, Bwd(pd)};
    });
  });
  Tensor grad_w = Tensor::zeros(g.w);
  Tensor grad_b = g.has_bias ? Tensor::zeros({g.y[1]}) : Tensor();
  LayoutTemps temps;
  Output out(grad_w, as_memory(grad_w).get_desc(), c.pd.diff_weights_desc(), temps);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, temps.to_layout(x, g.stored(g.x), c.pd.src_desc())},
                                       {DNNL_ARG_DIFF_DST, temps.to_layout(grad_y, g.stored(g.y), c.pd.diff_dst_desc())},
                                       {DNNL_ARG_DIFF_WEIGHTS, out.mem}};
  if (g.has_bias) args.emplace(DNNL_ARG_DIFF_BIAS, as_output(grad_b, c.pd.diff_bias_desc()));
  execute(c.prim, args);
  out.finish();
  return {grad_w, grad_b};
}

// The forward convolution of x into a new tensor; with post.sum, `residual` (the
// output's shape and layout) is copied into the output first for the primitive to add.
Tensor forward(const ConvGeometry& g, const Tensor& x, const Tensor& weight, const Tensor& bias,
               bool training, PostOps post = {}, const Tensor& residual = {}) {
  auto prop = training ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
  const bool bf16 = !training && inference_precision() == Precision::bf16;
  static PrimitiveCache<ConvForward> cache;
  const auto& c = cache.get(g.key("conv2d", training + 2 * bf16 + 4 * post.code()), [&] {
    return guarded("conv2d forward", [&] {
      auto pd = forward_pd(g, prop, bf16, post);
      return ConvForward{pd, dnnl::convolution_forward(pd)};
    });
  });
  Tensor y = Tensor::empty(g.stored_shape(g.y));  // the primitive (or finish()'s reorder) writes every element
  LayoutTemps temps;
  Output out(y, g.stored(g.y), c.pd.dst_desc(), temps);
  if (post.sum) {
    if (out.mem == out.plain) {
      std::memcpy(y.data<float>(), residual.data<float>(), residual.numel() * sizeof(float));
    } else {
      memory r = as_memory(residual, g.stored(g.y));
      execute(dnnl::reorder(r, out.mem), {{DNNL_ARG_FROM, r}, {DNNL_ARG_TO, out.mem}});
    }
  }
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, temps.to_layout(x, g.stored(g.x), c.pd.src_desc())},
                                       {DNNL_ARG_WEIGHTS, weights_memory(weight, c.pd.weights_desc(), training, temps)},
                                       {DNNL_ARG_DST, out.mem}};
  if (g.has_bias) args.emplace(DNNL_ARG_BIAS, as_memory(bias, c.pd.bias_desc()));
  execute(c.prim, args);
  out.finish();
  return y;
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
              const Conv2dOptions& options) {
  ConvGeometry g = check_conv(x, weight, bias, options);
  const bool training = autograd::needs_grad({&x, &weight, &bias});
  Tensor y = forward(g, x, weight, bias, training);

  bool need_x = x.requires_grad();
  bool need_w = weight.requires_grad() || bias.requires_grad();
  autograd::record("conv2d", {x, weight, bias}, {&y},
                   [g, need_x, need_w, xs = x.detach(),
                    ws = weight.detach()](const std::vector<Tensor>& grads) -> std::vector<Tensor> {
                     Tensor grad_x = need_x ? backward_data(g, grads[0], ws) : Tensor();
                     auto [grad_w, grad_b] =
                         need_w ? backward_weights(g, grads[0], xs) : std::pair<Tensor, Tensor>();
                     return {grad_x, grad_w, grad_b};
                   });
  return y;
}

Tensor conv2d_relu(const Tensor& x, const Tensor& weight, const Tensor& bias,
                   const Conv2dOptions& options, const Tensor& residual) {
  ConvGeometry g = check_conv(x, weight, bias, options);
  if (residual.defined()) {
    check_f32("conv2d_relu", "residual", residual);
    if (residual.shape() != g.stored_shape(g.y)) {
      throw ShapeError("conv2d_relu: the residual " + shape_str(residual.shape()) +
                       " must have the output's shape " + shape_str(g.stored_shape(g.y)));
    }
  }
  return forward(g, x, weight, bias, false, PostOps{residual.defined(), true}, residual);  // records nothing
}

}  // namespace recur::ops
