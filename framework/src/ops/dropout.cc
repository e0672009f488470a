// Inverted dropout with a counter-based mask: element i is kept when its 32-bit half of
// SplitMix64(key + (i / 2 + 1) * golden) is at least p * 2^32, with the key one draw of
// the caller's generator. The mask is a function of (key, i) alone, so it is drawn in
// parallel, the same on any number of threads, fused with the multiply, and never
// stored: backward recomputes it.
#include "recur/ops/dropout.h"

#include <cmath>
#include <string>

#include "op_util.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

constexpr std::int64_t kParallel = 1 << 15;  // elements
constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ull;

// SplitMix64's output function (Steele, Lea and Flood 2014).
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

struct Mask {
  std::uint64_t key;
  std::uint64_t threshold;  // an element is kept when its uniform 32 bits are >= this
  float keep;               // the scale of kept elements, 1 / (1 - p)

  Mask(float p, std::uint64_t key_)
      : key(key_),
        threshold(static_cast<std::uint64_t>(std::ldexp(static_cast<double>(p), 32))),
        keep(p < 1.0f ? 1.0f / (1.0f - p) : 0.0f) {}

  // out[i] = in[i] * (keep or 0); out may be in.
  void apply(const float* in, float* out, std::int64_t n) const {
    const std::int64_t pairs = (n + 1) / 2;
#pragma omp parallel for if (n > kParallel)
    for (std::int64_t j = 0; j < pairs; ++j) {
      const std::uint64_t bits = mix64(key + static_cast<std::uint64_t>(j + 1) * kGolden);
      const std::int64_t i = 2 * j;
      out[i] = in[i] * ((bits & 0xffffffffu) >= threshold ? keep : 0.0f);
      if (i + 1 < n) out[i + 1] = in[i + 1] * ((bits >> 32) >= threshold ? keep : 0.0f);
    }
  }
};

}  // namespace

Tensor dropout(const Tensor& x, float p, std::mt19937_64& rng, bool training) {
  check_f32("dropout", "x", x);
  if (!(p >= 0.0f && p <= 1.0f)) {
    throw Error("dropout: probability " + std::to_string(p) + " is not in [0, 1]");
  }
  if (!training || p == 0.0f) return x;
  const Mask mask(p, rng());
  Tensor y = Tensor::empty(x.shape());
  mask.apply(x.data<float>(), y.data<float>(), x.numel());
  autograd::record("dropout", {x}, {&y}, [mask](const std::vector<Tensor>& g) -> std::vector<Tensor> {
    Tensor dx = Tensor::empty(g[0].shape());
    mask.apply(g[0].data<float>(), dx.data<float>(), dx.numel());
    return {dx};
  });
  return y;
}

Tensor dropout(const Tensor& x, float p, std::uint64_t seed, bool training) {
  std::mt19937_64 rng(seed);
  return dropout(x, p, rng, training);
}

}  // namespace recur::ops
