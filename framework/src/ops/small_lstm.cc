#include "small_lstm.h"

#include <immintrin.h>

// GCC 12 reports the _mm512_undefined_ps inside vscalefps / vrndscaleps intrinsics as
// maybe uninitialized (GCC bug 105593): nothing of this file's is.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <atomic>
#include <cstring>

namespace recur::ops::detail {

namespace {

constexpr int kLanes = 16;  // floats in a 512-bit register
constexpr std::int64_t kMaxHidden = 64;
constexpr std::int64_t kMaxInput = 256;
// Rows carried together: 4 gates x kTile accumulators, plus the four weight vectors and a
// broadcast, fit the 32 vector registers.
constexpr int kTile = 6;

std::atomic<bool> enabled{true};

#define RECUR_AVX512 __attribute__((target("avx512f"), always_inline)) inline

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

// acc[g][r] += a[r * stride + j] * w[j][g * H + col] for j < n: the products of one block of
// up to 16 columns (`lanes`) of each gate with n inputs of R rows.
template <int R>
RECUR_AVX512 void accumulate(__m512 (&acc)[4][R], const float* a, std::int64_t stride, const float* w,
                             std::int64_t n, std::int64_t gate_stride, __mmask16 lanes) {
  for (std::int64_t j = 0; j < n; ++j) {
    const float* wj = w + j * 4 * gate_stride;
    const __m512 w0 = _mm512_maskz_loadu_ps(lanes, wj), w1 = _mm512_maskz_loadu_ps(lanes, wj + gate_stride);
    const __m512 w2 = _mm512_maskz_loadu_ps(lanes, wj + 2 * gate_stride);
    const __m512 w3 = _mm512_maskz_loadu_ps(lanes, wj + 3 * gate_stride);
    for (int r = 0; r < R; ++r) {
      const __m512 v = _mm512_set1_ps(a[r * stride + j]);
      acc[0][r] = _mm512_fmadd_ps(v, w0, acc[0][r]);
      acc[1][r] = _mm512_fmadd_ps(v, w1, acc[1][r]);
      acc[2][r] = _mm512_fmadd_ps(v, w2, acc[2][r]);
      acc[3][r] = _mm512_fmadd_ps(v, w3, acc[3][r]);
    }
  }
}

// R rows [row0, row0 + R) through every step. Their hidden state alternates between two
// small buffers (a step reads the whole previous state while it writes the new one); the
// cell state is updated in place. A hidden size that is not a multiple of 16 leaves the
// last block's upper lanes unused: their weights load as zeros, so they stay zero in the
// state buffers and are never stored.
template <int R>
__attribute__((target("avx512f"))) void tile(const SmallLstmCall& k, std::int64_t row0) {
  const std::int64_t C = k.input, H = k.hidden;
  alignas(64) float h[2][R][kMaxHidden] = {};
  alignas(64) float c[R][kMaxHidden] = {};
  for (int r = 0; r < R; ++r) {
    std::memcpy(h[0][r], k.h0 + (row0 + r) * H, static_cast<std::size_t>(H) * sizeof(float));
    std::memcpy(c[r], k.c0 + (row0 + r) * H, static_cast<std::size_t>(H) * sizeof(float));
  }
  for (std::int64_t t = 0; t < k.steps; ++t) {
    const float(&h_old)[R][kMaxHidden] = h[t & 1];
    float(&h_new)[R][kMaxHidden] = h[(t + 1) & 1];
    const float* x = k.src + (t * k.rows + row0) * C;
    float* out = k.dst + (t * k.rows + row0) * H;
    for (std::int64_t col = 0; col < H; col += kLanes) {
      const __mmask16 lanes = H - col >= kLanes ? __mmask16{0xFFFF} : static_cast<__mmask16>((1u << (H - col)) - 1);
      __m512 acc[4][R];
      for (int g = 0; g < 4; ++g) {
        const __m512 b = _mm512_maskz_loadu_ps(lanes, k.bias + g * H + col);
        for (int r = 0; r < R; ++r) acc[g][r] = b;
      }
      accumulate<R>(acc, x, C, k.w_ih + col, C, H, lanes);
      accumulate<R>(acc, &h_old[0][0], kMaxHidden, k.w_hh + col, H, H, lanes);
      for (int r = 0; r < R; ++r) {
        const __m512 i = sigmoid_ps(acc[0][r]), f = sigmoid_ps(acc[1][r]);
        const __m512 g = tanh_ps(acc[2][r]), o = sigmoid_ps(acc[3][r]);
        const __m512 cell = _mm512_fmadd_ps(f, _mm512_load_ps(&c[r][col]), _mm512_mul_ps(i, g));
        _mm512_store_ps(&c[r][col], cell);
        const __m512 hidden = _mm512_mul_ps(o, tanh_ps(cell));
        _mm512_store_ps(&h_new[r][col], hidden);
        _mm512_mask_storeu_ps(out + r * H + col, lanes, hidden);
      }
    }
  }
  for (int r = 0; r < R; ++r) {
    std::memcpy(k.h_n + (row0 + r) * H, h[k.steps & 1][r], static_cast<std::size_t>(H) * sizeof(float));
    std::memcpy(k.c_n + (row0 + r) * H, c[r], static_cast<std::size_t>(H) * sizeof(float));
  }
}

template <int R>
void last_tile(const SmallLstmCall& k, std::int64_t row0, std::int64_t rows) {
  if constexpr (R > 0) {
    if (rows == R) return tile<R>(k, row0);
    last_tile<R - 1>(k, row0, rows);
  }
}

}  // namespace

bool small_lstm_fits(std::int64_t input, std::int64_t hidden) {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  return enabled.load(std::memory_order_relaxed) && avx512 && hidden > 0 && hidden <= kMaxHidden && input > 0 &&
         input <= kMaxInput;
}

void small_lstm(const SmallLstmCall& call, int threads) {
  const std::int64_t tiles = call.rows / kTile;
  // Rows are independent: threads take whole tiles (a few dozen rows each at least).
  const int team = static_cast<int>(std::clamp<std::int64_t>(tiles / 4, 1, std::max(threads, 1)));
#pragma omp parallel for num_threads(team) schedule(static) if (team > 1)
  for (std::int64_t i = 0; i < tiles; ++i) tile<kTile>(call, i * kTile);
  last_tile<kTile - 1>(call, tiles * kTile, call.rows - tiles * kTile);
}

void set_small_lstm_enabled(bool on) { enabled.store(on, std::memory_order_relaxed); }

}  // namespace recur::ops::detail
