// Private to src/ops: the pieces shared by the small-layer kernels (small_rnn.cc forward,
// small_rnn_backward.cc): sizes, the tiling of rows, masked stores and the gate functions.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <utility>

// GCC 12 reports the _mm512_undefined_ps inside vscalefps / vrndscaleps intrinsics as
// maybe uninitialized (GCC bug 105593): nothing of these files' is.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#define RECUR_AVX512 __attribute__((target("avx512f"), always_inline)) inline

namespace recur::ops::detail::small {

constexpr int kLanes = 16;  // floats in a 512-bit register
constexpr std::int64_t kMaxHidden = 64;
constexpr std::int64_t kMaxInput = 256;
// Rows carried together: 4 accumulators x kTile rows (LSTM: the four gates; GRU: u, r and
// o's input and hidden products apart), plus the weight vectors and a broadcast, fit the
// 32 vector registers.
constexpr int kTile = 6;

// Calls tile.template operator()<kTile>(row0) for every full tile of kTile rows of `rows`,
// whole tiles shared among up to `threads` threads (a few dozen rows each at least: rows
// are independent), then tile.template operator()<R>(row0) once for the R < kTile rows left.
template <typename Tile>
void for_each_tile(std::int64_t rows, int threads, const Tile& tile) {
  const std::int64_t tiles = rows / kTile;
  const int team = static_cast<int>(std::clamp<std::int64_t>(tiles / 4, 1, std::max(threads, 1)));
#pragma omp parallel for num_threads(team) schedule(static) if (team > 1)
  for (std::int64_t i = 0; i < tiles; ++i) tile.template operator()<kTile>(i * kTile);
  const std::int64_t row0 = tiles * kTile;
  [&]<int... R>(std::integer_sequence<int, R...>) {
    ((rows - row0 == R + 1 ? tile.template operator()<R + 1>(row0) : void()), ...);
  }(std::make_integer_sequence<int, kTile - 1>());
}

// The lanes of a block of 16 columns from `col` that lie below `width`.
RECUR_AVX512 __mmask16 lanes_below(std::int64_t width, std::int64_t col) {
  return width - col >= kLanes ? __mmask16{0xFFFF} : static_cast<__mmask16>((1u << (width - col)) - 1);
}

// Stores each of `blocks` (masked) at `at`, `at + stride`, `at + 2 stride`, ...
template <typename... Blocks>
RECUR_AVX512 void store_blocks(float* at, __mmask16 lanes, std::int64_t stride, Blocks... blocks) {
  ((_mm512_mask_storeu_ps(at, lanes, blocks), at += stride), ...);
}

// 1 / (1 + 2^y), the one transcendental of both gate functions. y = n + f with n an
// integer and |f| <= 1/2; 2^f by a degree-6 polynomial fitted for least maximum relative
// error (1.9e-9; 1.0e-7 with float rounding), times 2^n by vscalefps; the reciprocal by
// vrcp14ps (relative error under 2^-14) and one Newton step (under 2^-27), a third of
// the time of a division. y is clamped to +-126 first: 2^y stays a normal number (a
// denormal operand would cost microcode assists) and the result already rounds to its
// limit there; a NaN stays a NaN.
RECUR_AVX512 __m512 inv_one_plus_exp2(__m512 y) {
  y = _mm512_min_ps(_mm512_set1_ps(126.0f), y);
  y = _mm512_max_ps(_mm512_set1_ps(-126.0f), y);
  const __m512 n = _mm512_roundscale_ps(y, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 f = _mm512_sub_ps(y, n);
  __m512 p = _mm512_set1_ps(0.00015345789142884314f);
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(0.0013399928575381637f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(0.009618489071726799f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(0.05550328642129898f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(0.24022646248340607f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(0.6931471824645996f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f));
  const __m512 one = _mm512_set1_ps(1.0f);
  const __m512 d = _mm512_add_ps(one, _mm512_scalef_ps(p, n));
  const __m512 r = _mm512_rcp14_ps(d);
  return _mm512_fmadd_ps(_mm512_fnmadd_ps(d, r, one), r, r);
}

constexpr float kLog2e = 1.44269504088896341f;

// sigmoid x = 1 / (1 + 2^(-x log2 e)).
RECUR_AVX512 __m512 sigmoid_ps(__m512 x) { return inv_one_plus_exp2(_mm512_mul_ps(x, _mm512_set1_ps(-kLog2e))); }

// tanh x = 2 sigmoid(2x) - 1: within 1.2e-7 of tanh everywhere (absolute).
RECUR_AVX512 __m512 tanh_ps(__m512 x) {
  const __m512 s = inv_one_plus_exp2(_mm512_mul_ps(x, _mm512_set1_ps(-2 * kLog2e)));
  return _mm512_fmsub_ps(_mm512_set1_ps(2.0f), s, _mm512_set1_ps(1.0f));
}

}  // namespace recur::ops::detail::small
