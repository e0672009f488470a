// Matrix products on the oneDNN matmul primitive.
#include "recur/ops/matmul.h"

#include "bf16_convert.h"
#include "dnnl_util.h"
#include "kernels.h"
#include "layout_cache.h"
#include "op_util.h"
#include "recur/ops/precision.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

// Logical shape of a stored operand after the optional transpose of its last two dims.
Shape logical(const Shape& stored, bool transposed) {
  Shape s = stored;
  if (transposed) std::swap(s[s.size() - 2], s[s.size() - 1]);
  return s;
}

// Descriptor of the logical operand over the stored row-major bytes.
dnnl::memory::desc operand_desc(const Shape& stored, bool transposed, DType dtype = DType::f32) {
  auto d = plain_desc(stored, dtype);
  if (!transposed) return d;
  std::vector<int> perm(stored.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int>(i);
  std::swap(perm[perm.size() - 2], perm[perm.size() - 1]);
  return d.permute_axes(perm);
}

}  // namespace

namespace detail {

Tensor run_matmul(const Tensor& a, bool ta, const Tensor& b, bool tb, const Tensor& bias,
                  WeightLayout layout, Precision precision) {
  Shape la = logical(a.shape(), ta), lb = logical(b.shape(), tb);
  std::size_t r = la.size();
  Shape out = la;
  out[r - 1] = lb[r - 1];
  // oneDNN writes every element; an empty inner dimension leaves the zeros (+ bias).
  Tensor y = la[r - 1] == 0 ? Tensor::zeros(out) : Tensor::empty(out);
  if (y.numel() == 0) return y;
  if (la[r - 1] == 0) {  // empty inner dimension: the product is 0 (+ bias)
    if (bias.defined()) run_binary(dnnl::algorithm::binary_add, y, bias, y);
    return y;
  }
  struct Matmul {
    dnnl::matmul prim;
    dnnl::memory::desc weights;
  };
  static PrimitiveCache<Matmul> cache;
  const bool preferred = layout == WeightLayout::preferred;
  // bf16: a is converted per call, b once per version when preferred (cached_layout),
  // else per call (unless given in bf16); the bias and the output stay f32.
  const bool bf16 = precision == Precision::bf16;
  const DType in = bf16 ? DType::bf16 : DType::f32;
  Shape bias_shape = bias.defined() ? pad_leading(bias.shape(), r) : Shape{};
  auto key = cache_key("matmul", {a.shape(), b.shape(), bias_shape}, {ta, tb, preferred, bf16});
  const auto& mm = cache.get(key, [&] {
    return guarded("matmul", [&] {
      auto da = operand_desc(a.shape(), ta, in);
      auto db = preferred ? dnnl::memory::desc(to_dims(lb), to_dnnl(in),
                                               dnnl::memory::format_tag::any)
                          : operand_desc(b.shape(), tb, in);
      auto dy = plain_desc(out, DType::f32);
      auto desc = bias.defined()
                      ? dnnl::matmul::desc(da, db, plain_desc(bias_shape, DType::f32), dy)
                      : dnnl::matmul::desc(da, db, dy);
      dnnl::matmul::primitive_desc pd(desc, scratchpad_attr(), engine());
      return Matmul{dnnl::matmul(pd), pd.weights_desc()};
    });
  });
  // Operands already in bf16 (a caller's copy used twice) go in as they are.
  const Tensor a_in = bf16 && a.dtype() != DType::bf16 ? to_bf16(a) : a;
  const Tensor b_in = bf16 && !preferred && b.dtype() != DType::bf16 ? to_bf16(b) : b;
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, as_memory(a_in, operand_desc(a.shape(), ta, in))},
      {DNNL_ARG_WEIGHTS, preferred ? cached_layout(b, operand_desc(b.shape(), tb), mm.weights)
                                   : as_memory(b_in, operand_desc(b.shape(), tb, in))},
      {DNNL_ARG_DST, as_output(y)}};
  if (bias.defined())
    args.emplace(DNNL_ARG_BIAS, as_memory(bias, plain_desc(bias_shape, DType::f32)));
  execute(mm.prim, args);
  return y;
}

}  // namespace detail

namespace {

void check_operand(const char* name, const Tensor& x) {
  if (x.defined() && x.dtype() == DType::bf16) return;
  check_f32("matmul", name, x);
}

void check_matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  check_operand("a", a);
  check_operand("b", b);
  if ((a.rank() != 2 && a.rank() != 3) || a.rank() != b.rank()) {
    throw ShapeError("matmul: expected two rank-2 or two rank-3 operands, got " +
                     shape_str(a.shape()) + " and " + shape_str(b.shape()));
  }
  Shape la = logical(a.shape(), ta), lb = logical(b.shape(), tb);
  std::size_t r = la.size();
  if (la[r - 1] != lb[r - 2] || (r == 3 && la[0] != lb[0])) {
    throw ShapeError("matmul: " + shape_str(la) + " x " + shape_str(lb) +
                     " (after transposes) do not fit: expected [M,K]x[K,N] or [B,M,K]x[B,K,N]");
  }
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  check_matmul(a, b, ta, tb);
  const bool bf16 = a.dtype() == DType::bf16 || b.dtype() == DType::bf16;
  if (bf16 && autograd::needs_grad({&a, &b})) {
    throw Error("matmul: bf16 operands are for inference (no gradient to record)");
  }
  Tensor y = run_matmul(a, ta, b, tb, {}, WeightLayout::as_stored, bf16 ? Precision::bf16 : Precision::f32);
  if (!autograd::needs_grad({&a, &b})) return y;
  // With C = op(A) op(B) and G = dC: d op(A) = G op(B)^T and d op(B) = op(A)^T G, each
  // transposed back when the operand was used transposed; all as strides.
  Tensor as = a.detach(), bs = b.detach();
  bool ga = a.requires_grad(), gb = b.requires_grad();
  autograd::record("matmul", {a, b}, {&y},
                   [as, bs, ta, tb, ga, gb](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     const Tensor& G = g[0];
                     Tensor da, db;
                     if (ga) da = ta ? run_matmul(bs, tb, G, true) : run_matmul(G, false, bs, !tb);
                     if (gb) db = tb ? run_matmul(G, true, as, ta) : run_matmul(as, !ta, G, false);
                     return {da, db};
                   });
  return y;
}

Tensor matmul_operand(const Tensor& x) {
  check_f32("matmul_operand", "x", x);
  return inference_precision() == Precision::bf16 ? to_bf16(x) : x;
}

}  // namespace recur::ops
