#include "recur/ops/batch_norm.h"

#include <algorithm>
#include <bit>
#include <string>

#include "dnnl_util.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

using dnnl::memory;
using Flags = dnnl::normalization_flags;

// Everything that fixes a batch normalization primitive. It runs on the layout the
// tensor is stored in (NCHW, or NHWC for channels_last; x is the logical [N, C, H, W]);
// statistics and scale/shift are plain [C].
struct BnGeometry {
  Shape x;
  Flags flags = Flags::none;
  float eps = 0;
  bool channels_last = false;

  bool has(Flags f) const { return (flags & f) == f; }
  std::string key(const char* op, int extra) const {
    return cache_key(op, {x},
                     {static_cast<std::int64_t>(flags),
                      static_cast<std::int64_t>(std::bit_cast<std::uint32_t>(eps)), extra, channels_last});
  }
  memory::desc stored() const { return image_desc(x, channels_last); }
  dnnl::batch_normalization_forward::primitive_desc forward_pd(dnnl::prop_kind prop) const {
    dnnl::batch_normalization_forward::desc d(prop, stored(), eps, flags);
    return dnnl::batch_normalization_forward::primitive_desc(d, scratchpad_attr(), engine());
  }
};

void check_channel_vector(const Tensor& t, std::int64_t channels, const char* what) {
  if (!t.defined()) return;
  if (t.shape() != Shape{channels} || t.dtype() != DType::f32) {
    throw ShapeError(std::string("batch_norm: expected ") + what + " f32 [" +
                     std::to_string(channels) + "], got " + shape_str(t.shape()) + " " +
                     std::string(dtype_name(t.dtype())));
  }
}

BnGeometry check_bn(const Tensor& x, const Tensor& weight, const Tensor& bias,
                    const Tensor& running_mean, const Tensor& running_var,
                    const BatchNormOptions& o) {
  if (!x.defined() || x.rank() != 4 || x.dtype() != DType::f32) {
    throw ShapeError(std::string("batch_norm: expected an f32 input ") +
                     (o.channels_last ? "[N, H, W, C]" : "[N, C, H, W]") + ", got " +
                     (x.defined() ? shape_str(x.shape()) + " " + std::string(dtype_name(x.dtype()))
                                  : std::string("undefined")));
  }
  std::int64_t channels = o.channels_last ? x.dim(3) : x.dim(1);
  check_channel_vector(weight, channels, "weight");
  check_channel_vector(bias, channels, "bias");
  check_channel_vector(running_mean, channels, "running_mean");
  check_channel_vector(running_var, channels, "running_var");
  if (running_mean.defined() != running_var.defined()) {
    throw ShapeError("batch_norm: running_mean and running_var go together");
  }
  if (!o.training && !running_mean.defined()) {
    throw ShapeError("batch_norm: evaluation needs running_mean and running_var");
  }
  if (o.training && x.numel() / std::max<std::int64_t>(channels, 1) < 2) {
    throw ShapeError("batch_norm: training needs more than one value per channel, got " +
                     shape_str(x.shape()));
  }
  if (!(o.eps > 0) || !(o.momentum >= 0 && o.momentum <= 1)) {
    throw ShapeError("batch_norm: expected eps > 0 and momentum in [0, 1], got eps " +
                     std::to_string(o.eps) + ", momentum " + std::to_string(o.momentum));
  }
  BnGeometry g{nchw_dims(x.shape(), o.channels_last), Flags::none, o.eps, o.channels_last};
  if (weight.defined()) g.flags |= Flags::use_scale;
  if (bias.defined()) g.flags |= Flags::use_shift;
  if (!o.training) g.flags |= Flags::use_global_stats;
  return g;
}

struct BnForward {
  dnnl::batch_normalization_forward::primitive_desc pd;
  dnnl::batch_normalization_forward prim;
};

struct BnBackward {
  dnnl::batch_normalization_backward::primitive_desc pd;
  dnnl::batch_normalization_backward prim;
};

// Gradients of x, weight and bias (the last two undefined where the op has none).
std::vector<Tensor> bn_backward(const BnGeometry& g, const Tensor& grad_y, const Tensor& x,
                                const Tensor& weight, const Tensor& bias, const Tensor& mean,
                                const Tensor& var) {
  bool affine = g.has(Flags::use_scale) || g.has(Flags::use_shift);
  static PrimitiveCache<BnBackward> cache;
  const auto& c = cache.get(g.key("batch_norm_bwd", 0), [&] {
    return guarded("batch_norm backward", [&] {
      auto desc_x = g.stored();
      auto prop = affine ? dnnl::prop_kind::backward : dnnl::prop_kind::backward_data;
      dnnl::batch_normalization_backward::desc d(prop, desc_x, desc_x, g.eps, g.flags);
      dnnl::batch_normalization_backward::primitive_desc pd(
          d, scratchpad_attr(), engine(), g.forward_pd(dnnl::prop_kind::forward_training));
      return BnBackward{pd, dnnl::batch_normalization_backward(pd)};
    });
  });
  std::int64_t channels = g.x[1];
  Tensor grad_x = Tensor::zeros(x.shape());
  Tensor grad_w = g.has(Flags::use_scale) ? Tensor::zeros({channels}) : Tensor();
  Tensor grad_b = g.has(Flags::use_shift) ? Tensor::zeros({channels}) : Tensor();
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, as_memory(x, g.stored())},
                                       {DNNL_ARG_MEAN, as_memory(mean)},
                                       {DNNL_ARG_VARIANCE, as_memory(var)},
                                       {DNNL_ARG_DIFF_DST, as_memory(grad_y, g.stored())},
                                       {DNNL_ARG_DIFF_SRC, as_output(grad_x, g.stored())}};
  if (grad_w.defined()) {
    args.emplace(DNNL_ARG_SCALE, as_memory(weight));
    args.emplace(DNNL_ARG_DIFF_SCALE, as_output(grad_w));
  }
  if (grad_b.defined()) {
    // oneDNN 2.6 lists the shift as an input of backward with use_shift and refuses to
    // execute without it, although the gradients do not depend on it.
    args.emplace(DNNL_ARG_SHIFT, as_memory(bias));
    args.emplace(DNNL_ARG_DIFF_SHIFT, as_output(grad_b));
  }
  execute(c.prim, args);
  return {grad_x, grad_w, grad_b};
}

// running = (1 - m) running + m batch, with the batch variance made unbiased.
void update_running(Tensor running_mean, Tensor running_var, const Tensor& mean, const Tensor& var,
                    std::int64_t count, float momentum) {
  float* rm = running_mean.data<float>();  // the handle shares the caller's storage
  float* rv = running_var.data<float>();
  const float* m = mean.data<float>();
  const float* v = var.data<float>();
  float unbias = static_cast<float>(count) / static_cast<float>(count - 1);
  for (std::int64_t c = 0; c < mean.numel(); ++c) {
    rm[c] = (1 - momentum) * rm[c] + momentum * m[c];
    rv[c] = (1 - momentum) * rv[c] + momentum * v[c] * unbias;
  }
}

}  // namespace

Tensor batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                  const Tensor& running_mean, const Tensor& running_var,
                  const BatchNormOptions& options) {
  BnGeometry g = check_bn(x, weight, bias, running_mean, running_var, options);
  bool grad = autograd::needs_grad({&x, &weight, &bias});
  // Training always computes (and outputs) the batch statistics; evaluation needs the
  // training kind only when a backward pass will ask for the same primitive family.
  bool training_kind = options.training || grad;
  static PrimitiveCache<BnForward> cache;
  const auto& c = cache.get(g.key("batch_norm", training_kind), [&] {
    return guarded("batch_norm forward", [&] {
      auto pd = g.forward_pd(training_kind ? dnnl::prop_kind::forward_training
                                           : dnnl::prop_kind::forward_inference);
      return BnForward{pd, dnnl::batch_normalization_forward(pd)};
    });
  });
  std::int64_t channels = g.x[1];
  Tensor y = Tensor::empty(x.shape());  // the primitive writes every element
  // Statistics the primitive reads (evaluation) or writes (training). Evaluation copies
  // the running ones so that a later update cannot change what backward sees.
  Tensor mean = options.training ? Tensor::zeros({channels}) : running_mean.clone();
  Tensor var = options.training ? Tensor::zeros({channels}) : running_var.clone();
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, as_memory(x, g.stored())},
                                       {DNNL_ARG_DST, as_output(y, g.stored())},
                                       {DNNL_ARG_MEAN, as_output(mean)},
                                       {DNNL_ARG_VARIANCE, as_output(var)}};
  if (weight.defined()) args.emplace(DNNL_ARG_SCALE, as_memory(weight));
  if (bias.defined()) args.emplace(DNNL_ARG_SHIFT, as_memory(bias));
  execute(c.prim, args);
  if (options.training && running_mean.defined()) {
    update_running(running_mean, running_var, mean, var, x.numel() / channels, options.momentum);
  }
  autograd::record("batch_norm", {x, weight, bias}, {&y},
                   [g, xs = x.detach(), ws = weight.defined() ? weight.detach() : Tensor(),
                    bs = bias.defined() ? bias.detach() : Tensor(), mean,
                    var](const std::vector<Tensor>& grads) {
                     return bn_backward(g, grads[0], xs, ws, bs, mean, var);
                   });
  return y;
}

}  // namespace recur::ops
