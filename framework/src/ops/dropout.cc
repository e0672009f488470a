// Inverted dropout. The mask is drawn on the CPU from the caller's generator (oneDNN has
// no random numbers) and applied with the oneDNN binary primitive, forward and backward.
#include "recur/ops/dropout.h"

#include <cmath>
#include <string>

#include "kernels.h"
#include "op_util.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

// 0 or 1/(1-p) per element. Each 64-bit draw gives two 32-bit uniforms; an element is
// dropped when its uniform falls below p * 2^32.
Tensor draw_mask(const Shape& shape, float p, std::mt19937_64& rng) {
  Tensor mask = Tensor::zeros(shape);
  float* m = mask.data<float>();
  const float keep = 1.0f / (1.0f - p);
  const auto threshold = static_cast<std::uint64_t>(std::ldexp(static_cast<double>(p), 32));
  std::int64_t n = mask.numel();
  for (std::int64_t i = 0; i < n; i += 2) {
    std::uint64_t bits = rng();
    m[i] = (bits & 0xffffffffu) >= threshold ? keep : 0.0f;
    if (i + 1 < n) m[i + 1] = (bits >> 32) >= threshold ? keep : 0.0f;
  }
  return mask;
}

}  // namespace

Tensor dropout(const Tensor& x, float p, std::mt19937_64& rng, bool training) {
  check_f32("dropout", "x", x);
  if (!(p >= 0.0f && p <= 1.0f)) {
    throw Error("dropout: probability " + std::to_string(p) + " is not in [0, 1]");
  }
  if (!training || p == 0.0f) return x;
  Tensor mask = p == 1.0f ? Tensor::zeros(x.shape()) : draw_mask(x.shape(), p, rng);
  Tensor y = Tensor::zeros(x.shape());
  run_binary(dnnl::algorithm::binary_mul, x, mask, y);
  autograd::record("dropout", {x}, {&y},
                   [mask](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     Tensor dx = Tensor::zeros(mask.shape());
                     run_binary(dnnl::algorithm::binary_mul, g[0], mask, dx);
                     return {dx};
                   });
  return y;
}

Tensor dropout(const Tensor& x, float p, std::uint64_t seed, bool training) {
  std::mt19937_64 rng(seed);
  return dropout(x, p, rng, training);
}

}  // namespace recur::ops
