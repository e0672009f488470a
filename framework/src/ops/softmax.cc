// softmax / log_softmax on oneDNN's softmax and logsoftmax primitives (forward and
// backward), the forward over the last axis on recur's own row kernels where the CPU
// has AVX-512F or AVX2 (softmax_rows.h: twice as fast over a vocabulary). Both backward
// passes need only the output, which the node saves.
#include "recur/ops/softmax.h"

#include <type_traits>
#include <utility>

#include "dnnl_util.h"
#include "op_util.h"
#include "recur/ops/tape.h"
#include "recur/ops/threads.h"
#include "softmax_rows.h"

namespace recur::ops {

using namespace detail;

namespace {

template <class Fwd, class Bwd>
struct Softmax {
  typename Fwd::primitive_desc pd;
  Fwd forward;
};

template <class Fwd, class Bwd>
Softmax<Fwd, Bwd> forward_primitive(const char* name, const Shape& s, int axis) {
  static PrimitiveCache<Softmax<Fwd, Bwd>> cache;
  return cache.get(cache_key(name, {s}, {axis}), [&] {
    return guarded(name, [&] {
      typename Fwd::desc desc(dnnl::prop_kind::forward_training, plain_desc(s, DType::f32), axis);
      typename Fwd::primitive_desc pd(desc, scratchpad_attr(), engine());
      return Softmax<Fwd, Bwd>{pd, Fwd(pd)};
    });
  });
}

template <class Fwd, class Bwd>
Bwd backward_primitive(const char* name, const Shape& s, int axis) {
  static PrimitiveCache<Bwd> cache;
  return cache.get(cache_key(name, {s}, {axis}), [&] {
    return guarded(name, [&] {
      auto d = plain_desc(s, DType::f32);
      typename Bwd::desc desc(d, d, axis);
      typename Bwd::primitive_desc pd(desc, scratchpad_attr(), engine(),
                                      forward_primitive<Fwd, Bwd>(name, s, axis).pd);
      return Bwd(pd);
    });
  });
}

// y = the op of x (shape s, axis a), y of x's shape: the row kernels over the last axis
// where the CPU has them, oneDNN's primitive otherwise. y may be x (both work in place).
template <class Fwd, class Bwd>
void forward_into(const char* name, const Tensor& x, const Shape& s, int a, Tensor& y) {
  constexpr bool log = std::is_same_v<Fwd, dnnl::logsoftmax_forward>;
  const std::int64_t n = s[static_cast<std::size_t>(a)];
  const bool last = a + 1 == static_cast<int>(s.size());
  if (last && softmax_rows(x.data<float>(), y.data<float>(), x.numel() / n, n, log, num_threads())) return;
  execute(forward_primitive<Fwd, Bwd>(name, s, a).forward,
          {{DNNL_ARG_SRC, as_memory(x.view(s))}, {DNNL_ARG_DST, as_output(y.view(s))}});
}

// The shape the primitives see (a scalar as [1]) and the axis, checked.
std::pair<Shape, int> shape_and_axis(const char* name, const Tensor& x, std::int64_t axis) {
  check_f32(name, "x", x);
  Shape s = x.shape().empty() ? Shape{1} : x.shape();
  return {s, static_cast<int>(normalize_axis(name, axis, static_cast<std::int64_t>(s.size())))};
}

template <class Fwd, class Bwd>
Tensor softmax_op(const char* name, const Tensor& x, std::int64_t axis) {
  const auto [s, a] = shape_and_axis(name, x, axis);
  Tensor y = Tensor::empty(x.shape());
  if (x.numel() == 0) return y;
  forward_into<Fwd, Bwd>(name, x, s, a, y);
  if (!autograd::needs_grad({&x})) return y;
  autograd::record(
      name, {x}, {&y},
      [name, s, a, ys = y.detach()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
        Tensor dx = Tensor::empty(ys.shape());
        execute(backward_primitive<Fwd, Bwd>(name, s, a),
                {{DNNL_ARG_DST, as_memory(ys.view(s))},
                 {DNNL_ARG_DIFF_DST, as_memory(g[0].view(s))},
                 {DNNL_ARG_DIFF_SRC, as_output(dx.view(s))}});
        return {dx};
      });
  return y;
}

}  // namespace

Tensor softmax(const Tensor& x, std::int64_t axis) {
  return softmax_op<dnnl::softmax_forward, dnnl::softmax_backward>("softmax", x, axis);
}

Tensor log_softmax(const Tensor& x, std::int64_t axis) {
  return softmax_op<dnnl::logsoftmax_forward, dnnl::logsoftmax_backward>("log_softmax", x, axis);
}

void log_softmax_in_place(Tensor& x, std::int64_t axis) {
  if (autograd::needs_grad({&x})) {
    x = log_softmax(x, axis);
    return;
  }
  const auto [s, a] = shape_and_axis("log_softmax", x, axis);
  if (x.numel() > 0) forward_into<dnnl::logsoftmax_forward, dnnl::logsoftmax_backward>("log_softmax", x, s, a, x);
}

}  // namespace recur::ops
