// Backward through time of a small LSTM layer's training pass (small_rnn.h): per step, from
// the gradient reaching the hidden and cell states to the gate pre-activations' gradient,
// then on to the previous step's states through W_hh. Rows are independent, so a few at a
// time go back through all the steps with their state gradients in the first-level cache.
#include <algorithm>
#include <cstring>
#include <vector>

#include "small_rnn.h"
#include "small_rnn_math.h"

namespace recur::ops::detail {

namespace {

using namespace small;

// With h = o tanh(c), c = f c_prev + i g, the gates after their functions (sigmoid for i,
// f, o; tanh for g), dh and dc the gradients reaching h and c from later steps and the
// output:
//   dc' = dc + dh o (1 - tanh^2 c)          dpre_o = dh tanh(c) o (1 - o)
//   dpre_i = dc' g i (1 - i)                dpre_g = dc' i (1 - g^2)
//   dpre_f = dc' c_prev f (1 - f)           dc_prev = dc' f,  dh_prev = W_hh dpre.
template <int R>
__attribute__((target("avx512f"))) void back_tile(const SmallLstmBackward& k, const float* w_t, std::int64_t row0) {
  const std::int64_t H = k.hidden, G = 4 * H, W = 5 * H;
  alignas(64) float dh[R][kMaxHidden] = {};
  alignas(64) float dc[R][kMaxHidden] = {};
  alignas(64) float dpre[R][4 * kMaxHidden] = {};
  for (int r = 0; r < R; ++r) {
    std::memcpy(dh[r], k.dh_final + (row0 + r) * H, static_cast<std::size_t>(H) * sizeof(float));
    std::memcpy(dc[r], k.dc_final + (row0 + r) * H, static_cast<std::size_t>(H) * sizeof(float));
  }
  const __m512 one = _mm512_set1_ps(1.0f);
  for (std::int64_t t = k.steps; t-- > 0;) {
    const float* kept = k.gates + (t * k.rows + row0) * W;
    const float* d_out = k.d_dst + (t * k.rows + row0) * H;
    float* d_gates = k.d_gates + (t * k.rows + row0) * G;
    for (std::int64_t col = 0; col < H; col += kLanes) {
      const __mmask16 lanes = lanes_below(H, col);
      for (int r = 0; r < R; ++r) {
        const float* at = kept + r * W + col;
        const __m512 i = _mm512_maskz_loadu_ps(lanes, at), f = _mm512_maskz_loadu_ps(lanes, at + H);
        const __m512 g = _mm512_maskz_loadu_ps(lanes, at + 2 * H), o = _mm512_maskz_loadu_ps(lanes, at + 3 * H);
        const __m512 c = _mm512_maskz_loadu_ps(lanes, at + 4 * H);
        const float* c_prev_at = t > 0 ? at + 4 * H - k.rows * W : k.c0 + (row0 + r) * H + col;
        const __m512 c_prev = _mm512_maskz_loadu_ps(lanes, c_prev_at);
        const __m512 d_h = _mm512_add_ps(_mm512_load_ps(&dh[r][col]), _mm512_maskz_loadu_ps(lanes, d_out + r * H + col));
        const __m512 tc = tanh_ps(c);
        const __m512 d_c = _mm512_fmadd_ps(_mm512_mul_ps(d_h, o), _mm512_fnmadd_ps(tc, tc, one), _mm512_load_ps(&dc[r][col]));
        const __m512 d_o = _mm512_mul_ps(_mm512_mul_ps(d_h, tc), _mm512_mul_ps(o, _mm512_sub_ps(one, o)));
        const __m512 d_i = _mm512_mul_ps(_mm512_mul_ps(d_c, g), _mm512_mul_ps(i, _mm512_sub_ps(one, i)));
        const __m512 d_g = _mm512_mul_ps(_mm512_mul_ps(d_c, i), _mm512_fnmadd_ps(g, g, one));
        const __m512 d_f = _mm512_mul_ps(_mm512_mul_ps(d_c, c_prev), _mm512_mul_ps(f, _mm512_sub_ps(one, f)));
        _mm512_store_ps(&dc[r][col], _mm512_mul_ps(d_c, f));
        float* out = d_gates + r * G + col;
        float* local = &dpre[r][col];
        for (const __m512& v : {d_i, d_f, d_g, d_o}) {
          _mm512_mask_storeu_ps(out, lanes, v);
          _mm512_mask_storeu_ps(local, lanes, v);
          out += H;
          local += H;
        }
      }
    }
    // dh_prev = W_hh dpre, 16 hidden units at a time: W_hh^T's rows (w_t, [4H, H]) scaled
    // by each row's gradients.
    for (std::int64_t col = 0; col < H; col += kLanes) {
      const __mmask16 lanes = lanes_below(H, col);
      __m512 sum[R];
      for (int r = 0; r < R; ++r) sum[r] = _mm512_setzero_ps();
      for (std::int64_t j = 0; j < G; ++j) {
        const __m512 w = _mm512_maskz_loadu_ps(lanes, w_t + j * H + col);
        for (int r = 0; r < R; ++r) sum[r] = _mm512_fmadd_ps(_mm512_set1_ps(dpre[r][j]), w, sum[r]);
      }
      for (int r = 0; r < R; ++r) _mm512_store_ps(&dh[r][col], sum[r]);
    }
  }
  for (int r = 0; r < R; ++r) {
    std::memcpy(k.dh0 + (row0 + r) * H, dh[r], static_cast<std::size_t>(H) * sizeof(float));
    std::memcpy(k.dc0 + (row0 + r) * H, dc[r], static_cast<std::size_t>(H) * sizeof(float));
  }
}

template <int R>
void last_back_tile(const SmallLstmBackward& k, const float* w_t, std::int64_t row0, std::int64_t rows) {
  if constexpr (R > 0) {
    if (rows == R) return back_tile<R>(k, w_t, row0);
    last_back_tile<R - 1>(k, w_t, row0, rows);
  }
}

}  // namespace

void small_lstm_backward(const SmallLstmBackward& call, int threads) {
  const std::int64_t H = call.hidden, G = 4 * H;
  std::vector<float> w_t(static_cast<std::size_t>(G * H));  // W_hh^T, [4H, H]
  for (std::int64_t j = 0; j < H; ++j) {
    for (std::int64_t g = 0; g < G; ++g) w_t[static_cast<std::size_t>(g * H + j)] = call.w_hh[j * G + g];
  }
  const std::int64_t tiles = call.rows / kTile;
  const int team = static_cast<int>(std::clamp<std::int64_t>(tiles / 4, 1, std::max(threads, 1)));
#pragma omp parallel for num_threads(team) schedule(static) if (team > 1)
  for (std::int64_t i = 0; i < tiles; ++i) back_tile<kTile>(call, w_t.data(), i * kTile);
  last_back_tile<kTile - 1>(call, w_t.data(), tiles * kTile, call.rows - tiles * kTile);
}

}  // namespace recur::ops::detail
