// dropout_mask.h: the mask's parameters, the dispatch to the vector kernels and the plain
// C++ version they must match bit for bit.
#include "dropout_mask.h"

#include <algorithm>
#include <cmath>

#include "small_rnn.h"

namespace recur::ops::detail {

namespace {

// SplitMix64's output function (Steele, Lea and Flood 2014); the kernels have its twins.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

DropoutMask make_dropout_mask(float p, std::uint64_t key) {
  // p * 2^32 below 2^32 for p < 1; at p = 1 every element is multiplied by keep = 0.
  const double scaled = std::ldexp(static_cast<double>(p), 32);
  const auto threshold = static_cast<std::uint32_t>(std::min(scaled, 4294967295.0));
  return {key, threshold, p < 1.0f ? 1.0f / (1.0f - p) : 0.0f};
}

void apply_dropout_mask_plain(const DropoutMask& m, const float* in, float* out, std::int64_t begin,
                              std::int64_t end) {
  for (std::int64_t i = begin; i < end; i += 2) {
    const auto pair = static_cast<std::uint64_t>(i / 2 + 1);
    const std::uint64_t bits = mix64(m.key + pair * kDropoutGolden);
    out[i] = in[i] * (static_cast<std::uint32_t>(bits) >= m.threshold ? m.keep : 0.0f);
    if (i + 1 < end) out[i + 1] = in[i + 1] * (static_cast<std::uint32_t>(bits >> 32) >= m.threshold ? m.keep : 0.0f);
  }
}

void apply_dropout_mask(const DropoutMask& m, const float* in, float* out, std::int64_t begin, std::int64_t end) {
  static const bool has_avx512dq = __builtin_cpu_supports("avx512dq");
  switch (small_rnn_isa()) {
    case SmallRnnIsa::avx512:
      if (has_avx512dq) return small::apply_dropout_mask_avx512(m, in, out, begin, end);
      [[fallthrough]];  // every AVX-512F CPU has AVX2
    case SmallRnnIsa::avx2:
      return small::apply_dropout_mask_avx2(m, in, out, begin, end);
    case SmallRnnIsa::none:
      break;
  }
  apply_dropout_mask_plain(m, in, out, begin, end);
}

}  // namespace recur::ops::detail
