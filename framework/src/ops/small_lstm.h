// Private to src/ops: an f32 LSTM inference kernel for small hidden sizes (up to 64 units),
// where oneDNN 2.6's LSTM spends most of its time outside the gate
// products: at hidden 32 it reaches 70 GFLOP/s, a third of a core's f32 peak, because it
// runs every row of a step through memory before the next step (bench/ops/rnn_bench
// BM_RnnForecaster). This kernel carries a few rows at a time through all the steps with
// their state in the first-level cache and computes each gate column block and its
// elementwise update while it is in registers. Used by recurrent inference passes only
// (rnn_kernels.cc decides); training and every other size run on oneDNN.
#pragma once

#include <cstdint>

namespace recur::ops::detail {

// One segment of a layer and direction: `steps` steps of `rows` rows, time-major and dense.
struct SmallLstmCall {
  std::int64_t steps = 0, rows = 0, input = 0, hidden = 0;
  const float* src = nullptr;   // [steps, rows, input]
  const float* w_ih = nullptr;  // [input, 4 hidden], gates i, f, g, o (oneDNN's ldigo)
  const float* w_hh = nullptr;  // [hidden, 4 hidden]
  const float* bias = nullptr;  // [4 hidden]
  const float* h0 = nullptr;    // [rows, hidden]
  const float* c0 = nullptr;    // [rows, hidden]
  float* dst = nullptr;         // [steps, rows, hidden]
  float* h_n = nullptr;         // [rows, hidden]
  float* c_n = nullptr;         // [rows, hidden]
};

// Whether the kernel serves a layer of this size on this CPU (AVX-512F).
bool small_lstm_fits(std::int64_t input, std::int64_t hidden);

// Runs the call on up to `threads` threads. h_n / c_n may alias h0 / c0.
void small_lstm(const SmallLstmCall& call, int threads);

// Tests compare the kernel with oneDNN's LSTM: false sends every pass to oneDNN.
void set_small_lstm_enabled(bool enabled);

}  // namespace recur::ops::detail
