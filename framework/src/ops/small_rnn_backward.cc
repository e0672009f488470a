// Backward through time of a small LSTM or GRU layer's training pass (small_rnn.h): per
// step, from the gradient reaching the hidden (and cell) state to the gate
// pre-activations' gradient, then on to the previous step's state through W_hh. Rows are
// independent, so a few at a time go back through all the steps with their state
// gradients in the first-level cache.
#include <cstring>

#include "small_rnn.h"
#include "small_rnn_math.h"

namespace recur::ops::detail {

namespace {

using namespace small;

// One block of 16 hidden units of R rows at step t: the pre-activations' gradients into
// the call's buffers and `dpre` (the hidden side, what W_hh multiplies), the gradient
// reaching the previous state other than through W_hh into `carry`; dc updated (LSTM).
//
// LSTM, h = o tanh(c), c = f c_prev + i g (gates after their functions):
//   dc' = dc + dh o (1 - tanh^2 c)          da_o = dh tanh(c) o (1 - o)
//   da_i = dc' g i (1 - i)                  da_g = dc' i (1 - g^2)
//   da_f = dc' c_prev f (1 - f)             dc_prev = dc' f
// GRU, h = u h_prev + (1 - u) o, o = tanh(a_o), a_o = x W_o + b_o + r hn, hn = U_o h_prev + b_hn:
//   da_u = dh (h_prev - o) u (1 - u)        da_o = dh (1 - u) (1 - o^2)
//   da_r = da_o hn r (1 - r)                dhn = da_o r (the hidden side's third block)
//   carry = dh u
// and in both dh_prev = carry + W_hh (the hidden side's gradients).
template <RnnCell Cell, int R>
RECUR_AVX512 void block(const SmallRnnBackward& k, std::int64_t t, std::int64_t row0, std::int64_t col,
                        __mmask16 lanes, float (&dh)[R][kMaxHidden], float (&dc)[R][kMaxHidden],
                        float (&dpre)[R][4 * kMaxHidden], float (&carry)[R][kMaxHidden]) {
  const std::int64_t H = k.hidden, W = kept_width(Cell, H), G = rnn_gates(Cell) * H;
  const __m512 one = _mm512_set1_ps(1.0f);
  for (int r = 0; r < R; ++r) {
    const std::int64_t at_row = t * k.rows + row0 + r;
    const float* kept = k.gates + at_row * W + col;
    const __m512 d_h = _mm512_add_ps(_mm512_load_ps(&dh[r][col]), _mm512_maskz_loadu_ps(lanes, k.d_dst + at_row * H + col));
    float* out = k.d_gates + at_row * G + col;
    float* local = &dpre[r][col];
    if constexpr (Cell == RnnCell::lstm) {
      const __m512 i = _mm512_maskz_loadu_ps(lanes, kept), f = _mm512_maskz_loadu_ps(lanes, kept + H);
      const __m512 g = _mm512_maskz_loadu_ps(lanes, kept + 2 * H), o = _mm512_maskz_loadu_ps(lanes, kept + 3 * H);
      const __m512 c = _mm512_maskz_loadu_ps(lanes, kept + 4 * H);
      const float* c_prev_at = t > 0 ? kept + 4 * H - k.rows * W : k.c0 + (row0 + r) * H + col;
      const __m512 c_prev = _mm512_maskz_loadu_ps(lanes, c_prev_at);
      const __m512 tc = tanh_ps(c);
      const __m512 d_c = _mm512_fmadd_ps(_mm512_mul_ps(d_h, o), _mm512_fnmadd_ps(tc, tc, one), _mm512_load_ps(&dc[r][col]));
      const __m512 d_o = _mm512_mul_ps(_mm512_mul_ps(d_h, tc), _mm512_mul_ps(o, _mm512_sub_ps(one, o)));
      const __m512 d_i = _mm512_mul_ps(_mm512_mul_ps(d_c, g), _mm512_mul_ps(i, _mm512_sub_ps(one, i)));
      const __m512 d_g = _mm512_mul_ps(_mm512_mul_ps(d_c, i), _mm512_fnmadd_ps(g, g, one));
      const __m512 d_f = _mm512_mul_ps(_mm512_mul_ps(d_c, c_prev), _mm512_mul_ps(f, _mm512_sub_ps(one, f)));
      _mm512_store_ps(&dc[r][col], _mm512_mul_ps(d_c, f));
      store_blocks(out, lanes, H, d_i, d_f, d_g, d_o);
      store_blocks(local, lanes, H, d_i, d_f, d_g, d_o);
    } else {
      const __m512 u = _mm512_maskz_loadu_ps(lanes, kept), reset = _mm512_maskz_loadu_ps(lanes, kept + H);
      const __m512 o = _mm512_maskz_loadu_ps(lanes, kept + 2 * H), hn = _mm512_maskz_loadu_ps(lanes, kept + 3 * H);
      const __m512 h_prev = _mm512_maskz_loadu_ps(lanes, k.h_prev + at_row * H + col);
      const __m512 d_u = _mm512_mul_ps(_mm512_mul_ps(d_h, _mm512_sub_ps(h_prev, o)), _mm512_mul_ps(u, _mm512_sub_ps(one, u)));
      const __m512 d_o = _mm512_mul_ps(_mm512_mul_ps(d_h, _mm512_sub_ps(one, u)), _mm512_fnmadd_ps(o, o, one));
      const __m512 d_r = _mm512_mul_ps(_mm512_mul_ps(d_o, hn), _mm512_mul_ps(reset, _mm512_sub_ps(one, reset)));
      const __m512 d_hn = _mm512_mul_ps(d_o, reset);
      store_blocks(out, lanes, H, d_u, d_r, d_o);
      store_blocks(k.d_hidden_gates + at_row * G + col, lanes, H, d_u, d_r, d_hn);
      store_blocks(local, lanes, H, d_u, d_r, d_hn);
      _mm512_store_ps(&carry[r][col], _mm512_mul_ps(d_h, u));
    }
  }
}

// R rows [row0, row0 + R) back through every step.
template <RnnCell Cell, int R>
__attribute__((target("avx512f"))) void back_tile(const SmallRnnBackward& k, std::int64_t row0) {
  constexpr bool lstm = Cell == RnnCell::lstm;
  const std::int64_t H = k.hidden, G = rnn_gates(Cell) * H;
  alignas(64) float dh[R][kMaxHidden] = {};
  alignas(64) float dc[R][kMaxHidden] = {};
  alignas(64) float carry[R][kMaxHidden] = {};  // stays zero for the LSTM
  alignas(64) float dpre[R][4 * kMaxHidden] = {};
  for (int r = 0; r < R; ++r) {
    std::memcpy(dh[r], k.dh_final + (row0 + r) * H, static_cast<std::size_t>(H) * sizeof(float));
    if (lstm) std::memcpy(dc[r], k.dc_final + (row0 + r) * H, static_cast<std::size_t>(H) * sizeof(float));
  }
  for (std::int64_t t = k.steps; t-- > 0;) {
    for (std::int64_t col = 0; col < H; col += kLanes) block<Cell, R>(k, t, row0, col, lanes_below(H, col), dh, dc, dpre, carry);
    // dh_prev = carry + W_hh dpre, 16 hidden units at a time: W_hh^T's rows scaled by each
    // row's gradients.
    for (std::int64_t col = 0; col < H; col += kLanes) {
      const __mmask16 lanes = lanes_below(H, col);
      __m512 sum[R];
      for (int r = 0; r < R; ++r) sum[r] = _mm512_load_ps(&carry[r][col]);
      for (std::int64_t j = 0; j < G; ++j) {
        const __m512 w = _mm512_maskz_loadu_ps(lanes, k.w_hh_t + j * H + col);
        for (int r = 0; r < R; ++r) sum[r] = _mm512_fmadd_ps(_mm512_set1_ps(dpre[r][j]), w, sum[r]);
      }
      for (int r = 0; r < R; ++r) _mm512_store_ps(&dh[r][col], sum[r]);
    }
  }
  for (int r = 0; r < R; ++r) {
    std::memcpy(k.dh0 + (row0 + r) * H, dh[r], static_cast<std::size_t>(H) * sizeof(float));
    if (lstm) std::memcpy(k.dc0 + (row0 + r) * H, dc[r], static_cast<std::size_t>(H) * sizeof(float));
  }
}

}  // namespace

void small_rnn_backward(const SmallRnnBackward& call, int threads) {
  if (call.cell == RnnCell::lstm) {
    for_each_tile(call.rows, threads, [&]<int R>(std::int64_t row0) { back_tile<RnnCell::lstm, R>(call, row0); });
  } else {
    for_each_tile(call.rows, threads, [&]<int R>(std::int64_t row0) { back_tile<RnnCell::gru, R>(call, row0); });
  }
}

}  // namespace recur::ops::detail
