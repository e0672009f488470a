// dropout_mask.h compiled for avx2: four 64-bit hashes (eight elements) a vector. AVX2 has
// no 64-bit low product, so each is assembled from three 32 x 32 -> 64-bit ones; and no
// unsigned compare, so a >= b is max(a, b) == a. Every header with code of its own comes
// before the target pragma.
#include <immintrin.h>

#include <cstdint>

#include "dropout_mask.h"

#pragma GCC push_options
#pragma GCC target("avx2")

namespace recur::ops::detail::small {

namespace {

// The low 64 bits of a * c in each lane, c a constant.
inline __m256i mul64(__m256i a, std::uint64_t c) {
  const __m256i c_lo = _mm256_set1_epi64x(static_cast<long long>(c));
  const __m256i c_hi = _mm256_set1_epi64x(static_cast<long long>(c >> 32));
  const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), c_lo), _mm256_mul_epu32(a, c_hi));
  return _mm256_add_epi64(_mm256_mul_epu32(a, c_lo), _mm256_slli_epi64(cross, 32));
}

inline __m256i mix64(__m256i z) {
  z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), 0xbf58476d1ce4e5b9ull);
  z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), 0x94d049bb133111ebull);
  return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
}

}  // namespace

void apply_dropout_mask_avx2(const DropoutMask& m, const float* in, float* out, std::int64_t begin,
                             std::int64_t end) {
  std::int64_t i = begin;
  if (end - begin >= 8) {
    // Lane l counts pair begin / 2 + l: its low and high halves are elements 2l and 2l + 1.
    const std::uint64_t first = m.key + static_cast<std::uint64_t>(begin / 2 + 1) * kDropoutGolden;
    __m256i counter = _mm256_setr_epi64x(static_cast<long long>(first), static_cast<long long>(first + kDropoutGolden),
                                         static_cast<long long>(first + 2 * kDropoutGolden),
                                         static_cast<long long>(first + 3 * kDropoutGolden));
    const __m256i step = _mm256_set1_epi64x(static_cast<long long>(4 * kDropoutGolden));
    const __m256i threshold = _mm256_set1_epi32(static_cast<int>(m.threshold));
    const __m256 keep = _mm256_set1_ps(m.keep);
    for (; i + 8 <= end; i += 8) {
      const __m256i bits = mix64(counter);
      const __m256i kept = _mm256_cmpeq_epi32(_mm256_max_epu32(bits, threshold), bits);
      const __m256 factor = _mm256_and_ps(_mm256_castsi256_ps(kept), keep);
      _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_loadu_ps(in + i), factor));
      counter = _mm256_add_epi64(counter, step);
    }
  }
  apply_dropout_mask_plain(m, in, out, i, end);
}

}  // namespace recur::ops::detail::small

#pragma GCC pop_options
