// Inverted dropout with a counter-based mask (dropout_mask.h): element i is kept when its
// 32-bit half of SplitMix64(key + (i / 2 + 1) * golden) is at least p * 2^32, with the key
// one draw of the caller's generator. The mask is a function of (key, i) alone, so it is
// drawn in parallel, the same on any number of threads, fused with the multiply, and
// never stored: backward recomputes it.
#include "recur/ops/dropout.h"

#include <algorithm>
#include <string>

#include "dropout_mask.h"
#include "op_util.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

constexpr std::int64_t kParallel = 1 << 15;  // elements
constexpr std::int64_t kBlock = 1 << 13;     // elements a thread takes at a time (even)

// out[i] = in[i] * (keep or 0) over n elements; out may be in.
void apply(const DropoutMask& mask, const float* in, float* out, std::int64_t n) {
  const std::int64_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for if (n > kParallel)
  for (std::int64_t b = 0; b < blocks; ++b) {
    apply_dropout_mask(mask, in, out, b * kBlock, std::min(n, (b + 1) * kBlock));
  }
}

}  // namespace

Tensor dropout(const Tensor& x, float p, std::mt19937_64& rng, bool training) {
  check_f32("dropout", "x", x);
  if (!(p >= 0.0f && p <= 1.0f)) {
    throw Error("dropout: probability " + std::to_string(p) + " is not in [0, 1]");
  }
  if (!training || p == 0.0f) return x;
  const DropoutMask mask = make_dropout_mask(p, rng());
  Tensor y = Tensor::empty(x.shape());
  apply(mask, x.data<float>(), y.data<float>(), x.numel());
  autograd::record("dropout", {x}, {&y}, [mask](const std::vector<Tensor>& g) -> std::vector<Tensor> {
    Tensor dx = Tensor::empty(g[0].shape());
    apply(mask, g[0].data<float>(), dx.data<float>(), dx.numel());
    return {dx};
  });
  return y;
}

Tensor dropout(const Tensor& x, float p, std::uint64_t seed, bool training) {
  std::mt19937_64 rng(seed);
  return dropout(x, p, rng, training);
}

}  // namespace recur::ops
