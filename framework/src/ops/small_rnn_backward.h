// Private to src/ops: the small-layer kernels' backward through time (small_rnn.h) on a
// vector instruction set V, included under V's target by small_rnn_avx512.cc and
// small_rnn_avx2.cc. Per step, from the gradient reaching the hidden (and cell) state to
// the gate pre-activations' gradient, then on to the previous step's state through W_hh.
// Rows are independent, so a few at a time go back through all the steps with their
// state gradients in the first-level cache.
#pragma once

#include <cstring>

#include "small_rnn.h"
#include "small_rnn_math.h"

namespace recur::ops::detail::small {

// One block of V::kLanes hidden units of R rows at step t: the pre-activations' gradients
// into the call's buffers and `dpre` (the hidden side, what W_hh multiplies), the gradient
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
template <class V, RnnCell Cell, int R>
inline void block(const SmallRnnBackward& k, std::int64_t t, std::int64_t row0, std::int64_t col,
                  typename V::Mask lanes, float (&dh)[R][kMaxHidden], float (&dc)[R][kMaxHidden],
                        float (&dpre)[R][4 * kMaxHidden], float (&carry)[R][kMaxHidden]) {
  const std::int64_t H = k.hidden, W = kept_width(Cell, H), G = rnn_gates(Cell) * H;
  using Reg = typename V::Reg;
  const Reg one = V::set1(1.0f);
  for (int r = 0; r < R; ++r) {
    const std::int64_t at_row = t * k.rows + row0 + r;
    const float* kept = k.gates + at_row * W + col;
    const Reg d_h = V::add(V::load(&dh[r][col]), V::load(lanes, k.d_dst + at_row * H + col));
    float* out = k.d_gates + at_row * G + col;
    float* local = &dpre[r][col];
    if constexpr (Cell == RnnCell::lstm) {
      const Reg i = V::load(lanes, kept), f = V::load(lanes, kept + H);
      const Reg g = V::load(lanes, kept + 2 * H), o = V::load(lanes, kept + 3 * H);
      const Reg c = V::load(lanes, kept + 4 * H);
      const float* c_prev_at = t > 0 ? kept + 4 * H - k.rows * W : k.c0 + (row0 + r) * H + col;
      const Reg c_prev = V::load(lanes, c_prev_at);
      const Reg tc = tanh<V>(c);
      const Reg d_c = V::fmadd(V::mul(d_h, o), V::fnmadd(tc, tc, one), V::load(&dc[r][col]));
      const Reg d_o = V::mul(V::mul(d_h, tc), V::mul(o, V::sub(one, o)));
      const Reg d_i = V::mul(V::mul(d_c, g), V::mul(i, V::sub(one, i)));
      const Reg d_g = V::mul(V::mul(d_c, i), V::fnmadd(g, g, one));
      const Reg d_f = V::mul(V::mul(d_c, c_prev), V::mul(f, V::sub(one, f)));
      V::store(&dc[r][col], V::mul(d_c, f));
      store_blocks<V>(out, lanes, H, d_i, d_f, d_g, d_o);
      store_blocks<V>(local, lanes, H, d_i, d_f, d_g, d_o);
    } else {
      const Reg u = V::load(lanes, kept), reset = V::load(lanes, kept + H);
      const Reg o = V::load(lanes, kept + 2 * H), hn = V::load(lanes, kept + 3 * H);
      const Reg h_prev = V::load(lanes, k.h_prev + at_row * H + col);
      const Reg d_u = V::mul(V::mul(d_h, V::sub(h_prev, o)), V::mul(u, V::sub(one, u)));
      const Reg d_o = V::mul(V::mul(d_h, V::sub(one, u)), V::fnmadd(o, o, one));
      const Reg d_r = V::mul(V::mul(d_o, hn), V::mul(reset, V::sub(one, reset)));
      const Reg d_hn = V::mul(d_o, reset);
      store_blocks<V>(out, lanes, H, d_u, d_r, d_o);
      store_blocks<V>(k.d_hidden_gates + at_row * G + col, lanes, H, d_u, d_r, d_hn);
      store_blocks<V>(local, lanes, H, d_u, d_r, d_hn);
      V::store(&carry[r][col], V::mul(d_h, u));
    }
  }
}

// R rows [row0, row0 + R) back through every step.
template <class V, RnnCell Cell, int R>
void back_tile(const SmallRnnBackward& k, std::int64_t row0) {
  using Reg = typename V::Reg;
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
    for (std::int64_t col = 0; col < H; col += V::kLanes) {
      block<V, Cell, R>(k, t, row0, col, V::lanes_below(H, col), dh, dc, dpre, carry);
    }
    // dh_prev = carry + W_hh dpre, V::kLanes hidden units at a time: W_hh^T's rows scaled by each
    // row's gradients.
    for (std::int64_t col = 0; col < H; col += V::kLanes) {
      const typename V::Mask lanes = V::lanes_below(H, col);
      Reg sum[R];
      for (int r = 0; r < R; ++r) sum[r] = V::load(&carry[r][col]);
      for (std::int64_t j = 0; j < G; ++j) {
        const Reg w = V::load(lanes, k.w_hh_t + j * H + col);
        for (int r = 0; r < R; ++r) sum[r] = V::fmadd(V::set1(dpre[r][j]), w, sum[r]);
      }
      for (int r = 0; r < R; ++r) V::store(&dh[r][col], sum[r]);
    }
  }
  for (int r = 0; r < R; ++r) {
    std::memcpy(k.dh0 + (row0 + r) * H, dh[r], static_cast<std::size_t>(H) * sizeof(float));
    if (lstm) std::memcpy(k.dc0 + (row0 + r) * H, dc[r], static_cast<std::size_t>(H) * sizeof(float));
  }
}

template <class V>
void backward(const SmallRnnBackward& call, int threads) {
  if (call.cell == RnnCell::lstm) {
    for_each_tile<V::kTile>(call.rows, threads,
                            [&]<int R>(std::int64_t row0) { back_tile<V, RnnCell::lstm, R>(call, row0); });
  } else {
    for_each_tile<V::kTile>(call.rows, threads,
                            [&]<int R>(std::int64_t row0) { back_tile<V, RnnCell::gru, R>(call, row0); });
  }
}

}  // namespace recur::ops::detail::small
