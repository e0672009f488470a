// Private to src/ops: the small-layer forward kernel (small_rnn.h) on a vector instruction
// set V, included under V's target by small_rnn_avx512.cc and small_rnn_avx2.cc.
#pragma once

#include <cstring>

#include "small_rnn.h"
#include "small_rnn_math.h"

namespace recur::ops::detail::small {

// The products of n inputs of R rows with one block of up to V::kLanes columns (`lanes`)
// of each of G gates: acc[slot(g)][r] += a[r * stride + j] * w[j][g * H + col] for j < n,
// where H = gate_stride and slot(g) is g but for the third gate, which adds into
// acc[Third]. A Full block (every lane below the width) loads without the mask: the same
// values, and AVX2's masked loads cost more than plain ones.
template <class V, int R, int G, int Third, bool Full>
inline void accumulate(typename V::Reg (&acc)[4][R], const float* a, std::int64_t stride, const float* w,
                       std::int64_t n, std::int64_t gate_stride, typename V::Mask lanes) {
  using Reg = typename V::Reg;
  auto load = [lanes](const float* p) { return Full ? V::loadu(p) : V::load(lanes, p); };
  // The sums run in locals: GCC keeps those in registers, where with the caller's array
  // under masked loads it stored every accumulator back each iteration (2x slower).
  Reg s0[R], s1[R], s2[R], s3[R];
  for (int r = 0; r < R; ++r) s0[r] = acc[0][r], s1[r] = acc[1][r], s2[r] = acc[Third][r], s3[r] = acc[3][r];
  for (std::int64_t j = 0; j < n; ++j) {
    const float* wj = w + j * G * gate_stride;
    const Reg w0 = load(wj), w1 = load(wj + gate_stride), w2 = load(wj + 2 * gate_stride);
    const Reg w3 = G == 4 ? load(wj + 3 * gate_stride) : w2;
    for (int r = 0; r < R; ++r) {
      const Reg v = V::set1(a[r * stride + j]);
      s0[r] = V::fmadd(v, w0, s0[r]);
      s1[r] = V::fmadd(v, w1, s1[r]);
      s2[r] = V::fmadd(v, w2, s2[r]);
      if constexpr (G == 4) s3[r] = V::fmadd(v, w3, s3[r]);
    }
  }
  for (int r = 0; r < R; ++r) {
    acc[0][r] = s0[r];
    acc[1][r] = s1[r];
    acc[Third][r] = s2[r];
    if constexpr (G == 4) acc[3][r] = s3[r];
  }
}

// One block of V::kLanes hidden units of R rows, their gate products in acc (bias
// included): the new hidden state into h_new and the output; the LSTM's cell state
// updated in place. A training pass keeps what backward reads again in `keep` (rows of
// kept_width), if given.
template <class V, RnnCell Cell, int R>
inline void update(typename V::Reg (&acc)[4][R], const float (&h_old)[R][kMaxHidden], float (&h_new)[R][kMaxHidden],
                   float (&c)[R][kMaxHidden], std::int64_t col, float* out, std::int64_t H, typename V::Mask lanes,
                   float* keep) {
  using Reg = typename V::Reg;
  for (int r = 0; r < R; ++r) {
    Reg hidden;
    if constexpr (Cell == RnnCell::lstm) {
      const Reg i = sigmoid<V>(acc[0][r]), f = sigmoid<V>(acc[1][r]);
      const Reg g = tanh<V>(acc[2][r]), o = sigmoid<V>(acc[3][r]);
      const Reg cell = V::fmadd(f, V::load(&c[r][col]), V::mul(i, g));
      V::store(&c[r][col], cell);
      hidden = V::mul(o, tanh<V>(cell));
      if (keep) store_blocks<V>(keep + r * kept_width(Cell, H) + col, lanes, H, i, f, g, o, cell);
    } else {  // u h + (1 - u) o, o = tanh(W_o x + b_o + r (U_o h + b_hn))
      const Reg u = sigmoid<V>(acc[0][r]), reset = sigmoid<V>(acc[1][r]);
      const Reg o = tanh<V>(V::fmadd(reset, acc[3][r], acc[2][r]));
      hidden = V::fmadd(u, V::sub(V::load(&h_old[r][col]), o), o);
      if (keep) store_blocks<V>(keep + r * kept_width(Cell, H) + col, lanes, H, u, reset, o, acc[3][r]);
    }
    V::store(&h_new[r][col], hidden);
    V::store(out + r * H + col, lanes, hidden);
  }
}

// R rows [row0, row0 + R) through every step. Their hidden state alternates between two
// small buffers (a step reads the whole previous state while it writes the new one); the
// LSTM's cell state is updated in place. A hidden size that is not a multiple of
// V::kLanes leaves the last block's upper lanes unused: their weights and biases load as
// zeros, so they stay zero in the state buffers and are never stored.
template <class V, RnnCell Cell, int R>
void tile(const SmallRnnCall& k, std::int64_t row0) {
  using Reg = typename V::Reg;
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
    for (std::int64_t col = 0; col < H; col += V::kLanes) {
      const typename V::Mask lanes = V::lanes_below(H, col);
      Reg acc[4][R];
      for (int g = 0; g < 4; ++g) {  // the LSTM's four gate biases; the GRU's b_u, b_r, b_o, b_hn
        const Reg b = V::load(lanes, k.bias + g * H + col);
        for (int r = 0; r < R; ++r) acc[g][r] = b;
      }
      if (col + V::kLanes <= H) {
        accumulate<V, R, G, 2, true>(acc, x, C, k.w_ih + col, C, H, lanes);
        accumulate<V, R, G, lstm ? 2 : 3, true>(acc, &h_old[0][0], kMaxHidden, k.w_hh + col, H, H, lanes);
      } else {
        accumulate<V, R, G, 2, false>(acc, x, C, k.w_ih + col, C, H, lanes);
        accumulate<V, R, G, lstm ? 2 : 3, false>(acc, &h_old[0][0], kMaxHidden, k.w_hh + col, H, H, lanes);
      }
      update<V, Cell, R>(acc, h_old, h_new, c, col, out, H, lanes, keep);
    }
  }
  for (int r = 0; r < R; ++r) {
    std::memcpy(k.h_n + (row0 + r) * H, h[k.steps & 1][r], static_cast<std::size_t>(H) * sizeof(float));
    if (lstm) std::memcpy(k.c_n + (row0 + r) * H, c[r], static_cast<std::size_t>(H) * sizeof(float));
  }
}

template <class V>
void forward(const SmallRnnCall& call, int threads) {
  if (call.cell == RnnCell::lstm) {
    for_each_tile<V::kTile>(call.rows, threads,
                            [&]<int R>(std::int64_t row0) { tile<V, RnnCell::lstm, R>(call, row0); });
  } else {
    for_each_tile<V::kTile>(call.rows, threads,
                            [&]<int R>(std::int64_t row0) { tile<V, RnnCell::gru, R>(call, row0); });
  }
}

}  // namespace recur::ops::detail::small
