// Binary elementwise ops with broadcasting (oneDNN binary primitive).
#include "recur/ops/elementwise.h"

#include "dnnl_util.h"
#include "kernels.h"
#include "op_util.h"
#include "recur/ops/reduce.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

void add_inplace(Tensor& dst, const Tensor& src) {
  if (dst.shape() != src.shape() || dst.dtype() != DType::f32 || src.dtype() != DType::f32) {
    throw ShapeError("add_inplace: " + shape_str(src.shape()) + " into " + shape_str(dst.shape()));
  }
  Shape flat{dst.numel()};
  Tensor d = dst.view(flat);
  run_binary(dnnl::algorithm::binary_add, d, src.view(flat), d);
}

namespace {

// a (alg) b broadcast to their common shape. oneDNN broadcasts only its second
// operand, so a broadcast first operand is swapped (commutative ops) or expanded.
Tensor binary_forward(const char* op, dnnl::algorithm alg, const Tensor& a, const Tensor& b) {
  check_f32(op, "a", a);
  check_f32(op, "b", b);
  Shape out = broadcast_shape(op, a.shape(), b.shape());
  Tensor y = Tensor::empty(out);  // run_binary writes every element
  bool commutative = alg != dnnl::algorithm::binary_sub;
  if (a.shape() == out) {
    run_binary(alg, a, b, y);
  } else if (commutative && b.shape() == out) {
    run_binary(alg, b, a, y);
  } else {
    run_binary(alg, run_expand(a, out), b, y);
  }
  return y;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward("add", dnnl::algorithm::binary_add, a, b);
  autograd::record("add", {a, b}, {&y},
                   [sa = a.shape(), sb = b.shape(), ga = a.requires_grad(),
                    gb = b.requires_grad()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {ga ? sum_to(g[0], sa) : Tensor(), gb ? sum_to(g[0], sb) : Tensor()};
                   });
  return y;
}

Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward("sub", dnnl::algorithm::binary_sub, a, b);
  autograd::record(
      "sub", {a, b}, {&y},
      [sa = a.shape(), sb = b.shape(), ga = a.requires_grad(),
       gb = b.requires_grad()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
        return {ga ? sum_to(g[0], sa) : Tensor(), gb ? scale(sum_to(g[0], sb), -1.0f) : Tensor()};
      });
  return y;
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward("mul", dnnl::algorithm::binary_mul, a, b);
  if (!autograd::needs_grad({&a, &b})) return y;
  // Saved detached: the node must not keep the inputs' own history alive.
  Tensor a_saved = b.requires_grad() ? a.detach() : Tensor();
  Tensor b_saved = a.requires_grad() ? b.detach() : Tensor();
  autograd::record("mul", {a, b}, {&y},
                   [a_saved, b_saved, sa = a.shape(),
                    sb = b.shape()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     Tensor ga = b_saved.defined() ? sum_to(mul(g[0], b_saved), sa) : Tensor();
                     Tensor gb = a_saved.defined() ? sum_to(mul(g[0], a_saved), sb) : Tensor();
                     return {ga, gb};
                   });
  return y;
}

}  // namespace recur::ops
