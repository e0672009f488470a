// Unary elementwise ops (oneDNN eltwise forward and backward primitives). Activations
// whose derivative is a function of the output use the *_use_dst_for_bwd algorithms,
// so backward needs only the saved output.
#include <cmath>

#include "dnnl_util.h"
#include "kernels.h"
#include "op_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

struct Eltwise {
  const char* name;
  dnnl::algorithm algorithm;
  bool use_dst;  // backward reads the output (else the input)
};

struct EltwiseForward {
  dnnl::eltwise_forward::primitive_desc pd;
  dnnl::eltwise_forward prim;
};

// Eltwise is layout-blind, so every shape runs as a flat vector: one primitive per
// element count.
EltwiseForward forward_primitive(const Eltwise& e, const Shape& flat) {
  static PrimitiveCache<EltwiseForward> cache;
  auto key = cache_key(e.name, {flat});
  return cache.get(key, [&] {
    return guarded(e.name, [&] {
      dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_training, e.algorithm,
                                       plain_desc(flat, DType::f32), 0.0f, 0.0f);
      dnnl::eltwise_forward::primitive_desc pd(desc, scratchpad_attr(), engine());
      return EltwiseForward{pd, dnnl::eltwise_forward(pd)};
    });
  });
}

dnnl::eltwise_backward backward_primitive(const Eltwise& e, const Shape& flat) {
  static PrimitiveCache<dnnl::eltwise_backward> cache;
  auto key = cache_key(e.name, {flat});
  return cache.get(key, [&] {
    return guarded(e.name, [&] {
      auto d = plain_desc(flat, DType::f32);
      dnnl::eltwise_backward::desc desc(e.algorithm, d, d, 0.0f, 0.0f);
      dnnl::eltwise_backward::primitive_desc pd(desc, scratchpad_attr(), engine(), forward_primitive(e, flat).pd);
      return dnnl::eltwise_backward(pd);
    });
  });
}

Tensor eltwise_backward(const Eltwise& e, const Tensor& saved, const Tensor& grad) {
  Shape flat{saved.numel()};
  Tensor dx = Tensor::empty(saved.shape());
  if (saved.numel() == 0) return dx;
  execute(backward_primitive(e, flat),
          {{e.use_dst ? DNNL_ARG_DST : DNNL_ARG_SRC, as_memory(saved.view(flat))},
           {DNNL_ARG_DIFF_DST, as_memory(grad.view(flat))},
           {DNNL_ARG_DIFF_SRC, as_output(dx.view(flat))}});
  return dx;
}

Tensor eltwise(const Eltwise& e, const Tensor& x) {
  check_f32(e.name, "x", x);
  Tensor y = Tensor::empty(x.shape());
  if (x.numel() > 0) {
    Shape flat{x.numel()};
    execute(forward_primitive(e, flat).prim,
            {{DNNL_ARG_SRC, as_memory(x.view(flat))}, {DNNL_ARG_DST, as_output(y.view(flat))}});
  }
  if (!autograd::needs_grad({&x})) return y;
  // The output is saved detached: a node holding its own output would be a cycle.
  Tensor saved = e.use_dst ? y.detach() : x.detach();
  autograd::record(e.name, {x}, {&y},
                   [e, saved](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {eltwise_backward(e, saved, g[0])};
                   });
  return y;
}

}  // namespace

Tensor tanh(const Tensor& x) {
  return eltwise({"tanh", dnnl::algorithm::eltwise_tanh_use_dst_for_bwd, true}, x);
}

Tensor sigmoid(const Tensor& x) {
  return eltwise({"sigmoid", dnnl::algorithm::eltwise_logistic_use_dst_for_bwd, true}, x);
}

Tensor relu(const Tensor& x) {
  return eltwise({"relu", dnnl::algorithm::eltwise_relu_use_dst_for_bwd, true}, x);
}

Tensor exp(const Tensor& x) {
  return eltwise({"exp", dnnl::algorithm::eltwise_exp_use_dst_for_bwd, true}, x);
}

Tensor log(const Tensor& x) { return eltwise({"log", dnnl::algorithm::eltwise_log, false}, x); }

Tensor scale(const Tensor& x, float factor) {
  check_f32("scale", "x", x);
  Tensor y = run_linear(x, factor, 0.0f);
  autograd::record("scale", {x}, {&y},
                   [factor](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {run_linear(g[0], factor, 0.0f)};
                   });
  return y;
}

Tensor add_scalar(const Tensor& x, float value) {
  check_f32("add_scalar", "x", x);
  Tensor y = run_linear(x, 1.0f, value);
  autograd::record("add_scalar", {x}, {&y},
                   [](const std::vector<Tensor>& g) -> std::vector<Tensor> { return {g[0]}; });
  return y;
}

}  // namespace recur::ops
