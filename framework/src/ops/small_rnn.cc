#include "small_rnn.h"

#include "small_rnn_math.h"

#include <atomic>
#include <cstring>

namespace recur::ops::detail {

namespace {

using namespace small;

std::atomic<bool> enabled{true};

// The products of n inputs of R rows with one block of up to 16 columns (`lanes`) of each
// of G gates: acc[slot(g)][r] += a[r * stride + j] * w[j][g * H + col] for j < n, where
// H = gate_stride and slot(g) is g but for the third gate, which adds into acc[Third].
template <int R, int G, int Third>
RECUR_AVX512 void accumulate(__m512 (&acc)[4][R], const float* a, std::int64_t stride, const float* w,
                             std::int64_t n, std::int64_t gate_stride, __mmask16 lanes) {
  // The sums run in locals: GCC keeps those in registers, where with the caller's array
  // under masked loads it stored every accumulator back each iteration (2x slower).
  __m512 s0[R], s1[R], s2[R], s3[R];
  for (int r = 0; r < R; ++r) s0[r] = acc[0][r], s1[r] = acc[1][r], s2[r] = acc[Third][r], s3[r] = acc[3][r];
  for (std::int64_t j = 0; j < n; ++j) {
    const float* wj = w + j * G * gate_stride;
    const __m512 w0 = _mm512_maskz_loadu_ps(lanes, wj), w1 = _mm512_maskz_loadu_ps(lanes, wj + gate_stride);
    const __m512 w2 = _mm512_maskz_loadu_ps(lanes, wj + 2 * gate_stride);
    const __m512 w3 = G == 4 ? _mm512_maskz_loadu_ps(lanes, wj + 3 * gate_stride) : w2;
    for (int r = 0; r < R; ++r) {
      const __m512 v = _mm512_set1_ps(a[r * stride + j]);
      s0[r] = _mm512_fmadd_ps(v, w0, s0[r]);
      s1[r] = _mm512_fmadd_ps(v, w1, s1[r]);
      s2[r] = _mm512_fmadd_ps(v, w2, s2[r]);
      if constexpr (G == 4) s3[r] = _mm512_fmadd_ps(v, w3, s3[r]);
    }
  }
  for (int r = 0; r < R; ++r) {
    acc[0][r] = s0[r];
    acc[1][r] = s1[r];
    acc[Third][r] = s2[r];
    if constexpr (G == 4) acc[3][r] = s3[r];
  }
}

// One block of 16 hidden units of R rows, their gate products in acc (bias included):
// the new hidden state into h_new and the output; the LSTM's cell state updated in place.
// A training pass keeps what backward reads again in `keep` (rows of kept_width), if given.
template <RnnCell Cell, int R>
RECUR_AVX512 void update(__m512 (&acc)[4][R], const float (&h_old)[R][kMaxHidden], float (&h_new)[R][kMaxHidden],
                         float (&c)[R][kMaxHidden], std::int64_t col, float* out, std::int64_t H, __mmask16 lanes,
                         float* keep) {
  for (int r = 0; r < R; ++r) {
    __m512 hidden;
    if constexpr (Cell == RnnCell::lstm) {
      const __m512 i = sigmoid_ps(acc[0][r]), f = sigmoid_ps(acc[1][r]);
      const __m512 g = tanh_ps(acc[2][r]), o = sigmoid_ps(acc[3][r]);
      const __m512 cell = _mm512_fmadd_ps(f, _mm512_load_ps(&c[r][col]), _mm512_mul_ps(i, g));
      _mm512_store_ps(&c[r][col], cell);
      hidden = _mm512_mul_ps(o, tanh_ps(cell));
      if (keep) store_blocks(keep + r * kept_width(Cell, H) + col, lanes, H, i, f, g, o, cell);
    } else {  // u h + (1 - u) o, o = tanh(W_o x + b_o + r (U_o h + b_hn))
      const __m512 u = sigmoid_ps(acc[0][r]), reset = sigmoid_ps(acc[1][r]);
      const __m512 o = tanh_ps(_mm512_fmadd_ps(reset, acc[3][r], acc[2][r]));
      hidden = _mm512_fmadd_ps(u, _mm512_sub_ps(_mm512_load_ps(&h_old[r][col]), o), o);
      if (keep) store_blocks(keep + r * kept_width(Cell, H) + col, lanes, H, u, reset, o, acc[3][r]);
    }
    _mm512_store_ps(&h_new[r][col], hidden);
    _mm512_mask_storeu_ps(out + r * H + col, lanes, hidden);
  }
}

// R rows [row0, row0 + R) through every step. Their hidden state alternates between two
// small buffers (a step reads the whole previous state while it writes the new one); the
// LSTM's cell state is updated in place. A hidden size that is not a multiple of 16
// leaves the last block's upper lanes unused: their weights and biases load as zeros, so
// they stay zero in the state buffers and are never stored.
template <RnnCell Cell, int R>
__attribute__((target("avx512f"))) void tile(const SmallRnnCall& k, std::int64_t row0) {
  constexpr bool lstm = Cell == RnnCell::lstm;
  constexpr int G = lstm ? 4 : 3;
  const std::int64_t C = k.input, H = k.hidden;
  alignas(64) float h[2][R][kMaxHidden] = {};
  alignas(64) float c[R][kMaxHidden] = {};
  for (int r = 0; r < R; ++r) {
    std::memcpy(h[0][r], k.h0 + (row0 + r) * H, static_cast<std::size_t>(H) * sizeof(float));
    if (lstm) std::memcpy(c[r], k.c0 + (row0 + r) * H, static_cast<std::size_t>(H) * sizeof(float));
  }
  for (std::int64_t t = 0; t < k.steps; ++t) {
    const float(&h_old)[R][kMaxHidden] = h[t & 1];
    float(&h_new)[R][kMaxHidden] = h[(t + 1) & 1];
    const float* x = k.src + (t * k.rows + row0) * C;
    float* out = k.dst + (t * k.rows + row0) * H;
    float* keep = k.gates ? k.gates + (t * k.rows + row0) * kept_width(Cell, H) : nullptr;
    for (std::int64_t col = 0; col < H; col += kLanes) {
      const __mmask16 lanes = lanes_below(H, col);
      __m512 acc[4][R];
      for (int g = 0; g < 4; ++g) {  // the LSTM's four gate biases; the GRU's b_u, b_r, b_o, b_hn
        const __m512 b = _mm512_maskz_loadu_ps(lanes, k.bias + g * H + col);
        for (int r = 0; r < R; ++r) acc[g][r] = b;
      }
      accumulate<R, G, 2>(acc, x, C, k.w_ih + col, C, H, lanes);
      accumulate<R, G, lstm ? 2 : 3>(acc, &h_old[0][0], kMaxHidden, k.w_hh + col, H, H, lanes);
      update<Cell, R>(acc, h_old, h_new, c, col, out, H, lanes, keep);
    }
  }
  for (int r = 0; r < R; ++r) {
    std::memcpy(k.h_n + (row0 + r) * H, h[k.steps & 1][r], static_cast<std::size_t>(H) * sizeof(float));
    if (lstm) std::memcpy(k.c_n + (row0 + r) * H, c[r], static_cast<std::size_t>(H) * sizeof(float));
  }
}

}  // namespace

bool small_rnn_fits(RnnCell cell, std::int64_t input, std::int64_t hidden) {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  return enabled.load(std::memory_order_relaxed) && avx512 && cell != RnnCell::tanh && hidden > 0 &&
         hidden <= kMaxHidden && input > 0 && input <= kMaxInput;
}

void small_rnn(const SmallRnnCall& call, int threads) {
  if (call.cell == RnnCell::lstm) {
    for_each_tile(call.rows, threads, [&]<int R>(std::int64_t row0) { tile<RnnCell::lstm, R>(call, row0); });
  } else {
    for_each_tile(call.rows, threads, [&]<int R>(std::int64_t row0) { tile<RnnCell::gru, R>(call, row0); });
  }
}

void set_small_rnn_enabled(bool on) { enabled.store(on, std::memory_order_relaxed); }

}  // namespace recur::ops::detail
