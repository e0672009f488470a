#include "kernels.h"

#include <array>
#include <optional>

#include "dnnl_util.h"
#include "op_util.h"

namespace recur::ops::detail {

void run_binary(dnnl::algorithm alg, const Tensor& a, const Tensor& b, Tensor& dst) {
  if (dst.numel() == 0) return;
  static PrimitiveCache<dnnl::binary> cache;
  Shape sb = pad_leading(b.shape(), a.shape().size());
  auto key = cache_key("binary", {a.shape(), sb}, {static_cast<std::int64_t>(alg)});
  const auto& prim = cache.get(key, [&] {
    return guarded("binary", [&] {
      auto da = plain_desc(a.shape(), DType::f32);
      auto db = plain_desc(sb, DType::f32);
      return dnnl::binary(
          dnnl::binary::primitive_desc(dnnl::binary::desc(alg, da, db, da), scratchpad_attr(), engine()));
    });
  });
  execute(prim, {{DNNL_ARG_SRC_0, as_memory(a)},
                 {DNNL_ARG_SRC_1, as_memory(b, plain_desc(sb, DType::f32))},
                 {DNNL_ARG_DST, as_output(dst)}});
}

Tensor run_linear(const Tensor& x, float alpha, float beta) {
  Tensor y = Tensor::empty(x.shape());
  if (y.numel() == 0) return y;
  static PrimitiveCache<dnnl::eltwise_forward> cache;
  Shape flat{x.numel()};
  auto key = cache_key("linear_eltwise", {flat}, {float_key(alpha), float_key(beta)});
  const auto& prim = cache.get(key, [&] {
    return guarded("eltwise_linear", [&] {
      auto d = plain_desc(flat, DType::f32);
      dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference,
                                       dnnl::algorithm::eltwise_linear, d, alpha, beta);
      return dnnl::eltwise_forward(dnnl::eltwise_forward::primitive_desc(desc, scratchpad_attr(), engine()));
    });
  });
  execute(prim, {{DNNL_ARG_SRC, as_memory(x.view(flat))}, {DNNL_ARG_DST, as_output(y.view(flat))}});
  return y;
}

Tensor run_expand(const Tensor& x, const Shape& shape) {
  Tensor y = Tensor::zeros(shape);  // zero-filled: y = 0 + x
  run_binary(dnnl::algorithm::binary_add, y, x, y);
  return y;
}

namespace {

// When the reduced dimensions of src -> dst are one contiguous run (ignoring size-1
// dimensions): src as [A, R, C] with R reduced, A and C kept.
std::optional<std::array<std::int64_t, 3>> reduced_block(const Shape& src, const Shape& dst) {
  std::array<std::int64_t, 3> block{1, 1, 1};
  int part = 0;  // 0: before the reduced run, 1: in it, 2: after it
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (src[i] == 1) continue;
    const bool reduced = dst[i] == 1;
    if (reduced && part == 2) return std::nullopt;  // a second reduced run
    if (reduced) part = 1;
    if (!reduced && part == 1) part = 2;
    block[static_cast<std::size_t>(part == 0 ? 0 : part == 1 ? 1 : 2)] *= src[i];
  }
  if (part == 0) return std::nullopt;
  return block;
}

}  // namespace

Tensor run_reduce(const Tensor& x, const Shape& keep, bool mean) {
  Shape src = x.shape().empty() ? Shape{1} : x.shape();
  Shape dst = pad_leading(keep, src.size());
  if (dst.size() != src.size()) {
    throw ShapeError("reduce: cannot reduce " + shape_str(x.shape()) + " to " + shape_str(keep));
  }
  Tensor y = Tensor::zeros(keep);
  if (src == dst) {  // nothing to reduce (oneDNN refuses an identity reduction)
    y.view(x.shape()).copy_from(x);
    return y;
  }
  if (x.numel() == 0) return y;  // sum of nothing is 0 (mean of nothing: 0, not NaN)
  if (auto blocks = reduced_block(src, dst)) {
    // x as [A, R, C] summed over R: a product with a vector of ones (or 1/R for a mean).
    // oneDNN's reduction runs its reference kernel on these shapes (a bias gradient
    // [rows, 8000] -> [8000] took a fifth of a training step); matmul runs its JIT one.
    const auto [a, r, c] = *blocks;
    const float one = mean ? 1.0f / static_cast<float>(r) : 1.0f;
    if (c == 1) {
      return run_matmul(x.view({a, r}), false, Tensor::full({r, 1}, one), false).view(keep);
    }
    if (a == 1) {
      return run_matmul(Tensor::full({1, r}, one), false, x.view({r, c}), false).view(keep);
    }
    return run_matmul(Tensor::full({a, 1, r}, one), false, x.view({a, r, c}), false).view(keep);
  }
  static PrimitiveCache<dnnl::reduction> cache;
  auto key = cache_key("reduce", {src, dst}, {mean ? 1 : 0});
  const auto& prim = cache.get(key, [&] {
    return guarded("reduction", [&] {
      auto alg = mean ? dnnl::algorithm::reduction_mean : dnnl::algorithm::reduction_sum;
      dnnl::reduction::desc desc(alg, plain_desc(src, DType::f32), plain_desc(dst, DType::f32),
                                 0.0f, 0.0f);
      return dnnl::reduction(dnnl::reduction::primitive_desc(desc, scratchpad_attr(), engine()));
    });
  });
  execute(prim, {{DNNL_ARG_SRC, as_memory(x.view(src))}, {DNNL_ARG_DST, as_output(y.view(dst))}});
  return y;
}

void run_reorder(const void* src, const dnnl::memory::desc& src_md, void* dst,
                 const dnnl::memory::desc& dst_md, const std::string& key) {
  static PrimitiveCache<dnnl::reorder> cache;
  const auto& prim = cache.get(key, [&] {
    return guarded("reorder", [&] {
      return dnnl::reorder(dnnl::reorder::primitive_desc(engine(), src_md, engine(), dst_md, scratchpad_attr()));
    });
  });
  execute(prim, {{DNNL_ARG_FROM, dnnl::memory(src_md, engine(), const_cast<void*>(src))},
                 {DNNL_ARG_TO, dnnl::memory(dst_md, engine(), dst)}});
}

}  // namespace recur::ops::detail
