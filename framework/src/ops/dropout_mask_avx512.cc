// dropout_mask.h compiled for avx512f + avx512dq: eight 64-bit hashes (sixteen elements)
// a vector, the pair counter advanced by an addition. Every header with code of its own
// comes before the target pragma.
#include <immintrin.h>

#include <cstdint>

#include "dropout_mask.h"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq")

namespace recur::ops::detail::small {

namespace {

// z >> n in each lane; the masked form (all lanes) because GCC 12 warns of an
// uninitialised operand inside _mm512_srli_epi64.
template <unsigned N>
inline __m512i shift_right(__m512i z) {
  return _mm512_maskz_srli_epi64(0xff, z, N);
}

inline __m512i mix64(__m512i z) {
  z = _mm512_mullo_epi64(_mm512_xor_si512(z, shift_right<30>(z)), _mm512_set1_epi64(0xbf58476d1ce4e5b9ll));
  z = _mm512_mullo_epi64(_mm512_xor_si512(z, shift_right<27>(z)), _mm512_set1_epi64(0x94d049bb133111ebll));
  return _mm512_xor_si512(z, shift_right<31>(z));
}

}  // namespace

void apply_dropout_mask_avx512(const DropoutMask& m, const float* in, float* out, std::int64_t begin,
                               std::int64_t end) {
  std::int64_t i = begin;
  if (end - begin >= 16) {
    // Lane l counts pair begin / 2 + l: its low and high halves are elements 2l and 2l + 1.
    const std::uint64_t first = m.key + static_cast<std::uint64_t>(begin / 2 + 1) * kDropoutGolden;
    __m512i counter = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(first)),
                                       _mm512_mullo_epi64(_mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7),
                                                          _mm512_set1_epi64(static_cast<long long>(kDropoutGolden))));
    const __m512i step = _mm512_set1_epi64(static_cast<long long>(8 * kDropoutGolden));
    const __m512i threshold = _mm512_set1_epi32(static_cast<int>(m.threshold));
    const __m512 keep = _mm512_set1_ps(m.keep);
    for (; i + 16 <= end; i += 16) {
      const __mmask16 kept = _mm512_cmpge_epu32_mask(mix64(counter), threshold);
      _mm512_storeu_ps(out + i, _mm512_mul_ps(_mm512_loadu_ps(in + i), _mm512_maskz_mov_ps(kept, keep)));
      counter = _mm512_add_epi64(counter, step);
    }
  }
  apply_dropout_mask_plain(m, in, out, i, end);
}

}  // namespace recur::ops::detail::small

#pragma GCC pop_options
