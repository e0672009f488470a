// Dynamic int8 linear layers (inference precision int8), the scheme of PyTorch's
// quantize_dynamic for nn.Linear:
//   weight  per output row n: s_w[n] = max_k |W[n, k]| / 127, W_q = round(W / s_w) in s8;
//           made once per version of the weight's storage and kept with it (DerivedCache),
//           in the layout oneDNN's int8 matmul prefers;
//   input   per call, one scale for the whole [M, K] batch: s_x = max |x| / 127,
//           x_q = round(x / s_x) in s8;
//   output  y[m, n] = s_x * s_w[n] * sum_k x_q[m, k] W_q[n, k] + b[n]: oneDNN's int8 matmul
//           sums in s32, then multiplies by s_x s_w[n] and adds the bias (post-ops), f32 out.
// Rounding is to nearest, ties to even; |q| <= 127 on both sides (symmetric, no zero
// points).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dnnl_util.h"
#include "kernels.h"

namespace recur::ops::detail {

namespace {

using md = dnnl::memory::desc;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

constexpr float kLevels = 127.0f;

// The scale that maps [-max_abs, max_abs] onto [-127, 127] (1 for an all-zero block).
float scale_for(float max_abs) { return max_abs > 0.0f ? max_abs / kLevels : 1.0f; }

// round(v / scale) in [-127, 127]; a NaN (from a non-finite input) becomes 0 rather than
// an undefined conversion.
std::int8_t quantize(float v, float inv_scale) {
  const float q = std::nearbyint(v * inv_scale);
  if (!(q == q)) return 0;
  return static_cast<std::int8_t>(std::clamp(q, -kLevels, kLevels));
}

struct Int8Matmul {
  dnnl::matmul prim;
  md weights;
};

Int8Matmul int8_primitive(std::int64_t m, std::int64_t k, std::int64_t n, bool bias) {
  static PrimitiveCache<Int8Matmul> cache;
  return cache.get(cache_key("matmul_int8", {{m, k, n}}, {bias}), [&] {
    return guarded("int8 matmul", [&] {
      // The scales enter as a per-column multiply after the s32 sum (exact in f32: |sum|
      // <= 127 * 127 * K < 2^24 for K up to 1,040; rounded to 24 bits beyond), not as
      // output scales: oneDNN 2.6 has its VNNI kernels only for output scales fixed at
      // creation, and s_x changes per call.
      dnnl::primitive_attr attr = scratchpad_attr();
      dnnl::post_ops post;
      post.append_binary(dnnl::algorithm::binary_mul, md({1, n}, dt::f32, tag::ab));
      if (bias) post.append_binary(dnnl::algorithm::binary_add, md({1, n}, dt::f32, tag::ab));
      attr.set_post_ops(post);
      dnnl::matmul::primitive_desc pd(
          dnnl::matmul::desc(md({m, k}, dt::s8, tag::ab), md({k, n}, dt::s8, tag::any), md({m, n}, dt::f32, tag::ab)),
          attr, engine());
      return Int8Matmul{dnnl::matmul(pd), pd.weights_desc()};
    });
  });
}

// A weight's int8 copy in the primitive's layout, and its per-row scales.
struct QuantizedWeight {
  md layout;
  dnnl::memory q;
  std::vector<float> scale;  // [N]
};

std::shared_ptr<const QuantizedWeight> quantized(const Tensor& weight, const md& want) {
  const std::int64_t n = weight.dim(0), k = weight.dim(1);
  DerivedCache& cache = weight.impl_ptr()->storage->derived();
  const std::string key = "int8@" + std::to_string(weight.impl_ptr()->offset) + " " + std::to_string(n) + "x" +
                          std::to_string(k);
  const std::uint64_t version = weight.version();
  if (auto hit = std::static_pointer_cast<const QuantizedWeight>(cache.find(key, version))) {
    if (hit->layout == want) return hit;
  }
  auto made = std::make_shared<QuantizedWeight>();
  made->layout = want;
  made->scale.resize(static_cast<std::size_t>(n));
  std::vector<std::int8_t> rows(static_cast<std::size_t>(n * k));  // [N, K]
  const float* w = weight.data<float>();
  for (std::int64_t r = 0; r < n; ++r) {
    const float* row = w + r * k;
    float max_abs = 0.0f;
    for (std::int64_t j = 0; j < k; ++j) max_abs = std::max(max_abs, std::abs(row[j]));
    const float s = scale_for(max_abs);
    made->scale[static_cast<std::size_t>(r)] = s;
    for (std::int64_t j = 0; j < k; ++j) rows[static_cast<std::size_t>(r * k + j)] = quantize(row[j], 1.0f / s);
  }
  guarded("int8 weight reorder", [&] {
    // The [N, K] rows seen as the [K, N] operand (transposed by strides).
    dnnl::memory from(md({k, n}, dt::s8, tag::ba), engine(), rows.data());
    made->q = dnnl::memory(want, engine());
    execute(dnnl::reorder(from, made->q), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, made->q}});
  });
  cache.put(key, version, made);
  return made;
}

}  // namespace

Tensor run_linear_int8(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  const std::int64_t m = x.dim(0), k = x.dim(1), n = weight.dim(0);
  Tensor y = Tensor::empty({m, n});
  if (y.numel() == 0) return y;
  const Int8Matmul mm = int8_primitive(m, k, n, bias.defined());
  const auto w = quantized(weight, mm.weights);

  const float* xp = x.data<float>();
  const std::int64_t count = m * k;
  float max_abs = 0.0f;
  for (std::int64_t i = 0; i < count; ++i) max_abs = std::max(max_abs, std::abs(xp[i]));
  const float s_x = scale_for(max_abs), inv = 1.0f / s_x;
  std::vector<std::int8_t> xq(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) xq[static_cast<std::size_t>(i)] = quantize(xp[i], inv);
  std::vector<float> scales(w->scale);
  for (float& s : scales) s *= s_x;

  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, dnnl::memory(md({m, k}, dt::s8, tag::ab), engine(), xq.data())},
      {DNNL_ARG_WEIGHTS, w->q},
      {DNNL_ARG_DST, as_output(y)},
      {DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, dnnl::memory(md({1, n}, dt::f32, tag::ab), engine(), scales.data())}};
  if (bias.defined()) {
    args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(1) | DNNL_ARG_SRC_1, as_memory(bias, md({1, n}, dt::f32, tag::ab)));
  }
  execute(mm.prim, args);
  return y;
}

}  // namespace recur::ops::detail
