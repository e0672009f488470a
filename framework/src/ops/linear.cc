// linear on the oneDNN matmul primitive. The weight stays in torch's [N, K] layout and
// enters the primitive as a transposed [K, N] operand (strides), so training needs no
// reorder or weight copy and the gradient comes out in the same layout. Inference
// lets oneDNN choose the weight's layout, reordered once per weight version.
#include "recur/ops/linear.h"

#include "bf16_convert.h"
#include "kernels.h"
#include "op_util.h"
#include "recur/ops/precision.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  check_f32("linear", "x", x);
  check_f32("linear", "weight", weight);
  check_rank("linear", "weight", weight, 2);
  if (x.rank() < 1 || x.dim(-1) != weight.dim(1)) {
    throw ShapeError("linear: x " + shape_str(x.shape()) + " does not fit weight " +
                     shape_str(weight.shape()) + ": expected x [..., " +
                     std::to_string(weight.dim(1)) + "]");
  }
  std::int64_t n = weight.dim(0), k = weight.dim(1);
  if (bias.defined()) {
    check_f32("linear", "bias", bias);
    if (bias.shape() != Shape{n}) {
      throw ShapeError("linear: expected bias [" + std::to_string(n) + "], got " +
                       shape_str(bias.shape()));
    }
  }
  std::int64_t rows =
      k == 0 ? shape_numel(Shape(x.shape().begin(), x.shape().end() - 1)) : x.numel() / k;
  Tensor x2 = x.view({rows, k});
  Shape out = x.shape();
  out.back() = n;
  if (!autograd::needs_grad({&x, &weight, &bias})) {
    if (inference_precision() == Precision::int8) return run_linear_int8(x2, weight, bias).view(out);
    // oneDNN's own (blocked) weight layout, kept across calls: measured faster than the
    // strided plain one at decoder shapes (bench/ops/linear_bench.cc).
    return run_matmul(x2, false, weight, true, bias, WeightLayout::preferred, inference_precision())
        .view(out);
  }
  // Training: all three products in the training precision. In bf16 each operand is
  // converted once (x and the weight in forward, the gradient in backward) and the
  // copies serve both of the products they enter.
  const Precision p = training_precision();
  const bool bf16 = p == Precision::bf16;
  const auto plain = WeightLayout::as_stored;
  const Tensor x_in = bf16 ? to_bf16(x2) : x2, w_in = bf16 ? to_bf16(weight) : weight;
  Tensor y = run_matmul(x_in, false, w_in, true, bias, plain, p).view(out);
  Tensor xs = weight.requires_grad() ? x_in.detach() : Tensor();
  Tensor ws = x.requires_grad() ? w_in.detach() : Tensor();
  autograd::record("linear", {x, weight, bias}, {&y},
                   [xs, ws, xshape = x.shape(), rows, n, gb = bias.requires_grad(), p, plain, bf16](
                       const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     Tensor g2 = g[0].view({rows, n});
                     const Tensor g_in = bf16 && (xs.defined() || ws.defined()) ? to_bf16(g2) : g2;
                     Tensor dx = ws.defined() ? run_matmul(g_in, false, ws, false, {}, plain, p).view(xshape)
                                              : Tensor();
                     Tensor dw = xs.defined() ? run_matmul(g_in, true, xs, false, {}, plain, p) : Tensor();
                     Tensor db = gb ? run_reduce(g2, {n}, false) : Tensor();
                     return {dx, dw, db};
                   });
  return y;
}

}  // namespace recur::ops
