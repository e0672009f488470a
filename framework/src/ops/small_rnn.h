// Private to src/ops: f32 kernels for small LSTM and GRU layers (up to 64
// hidden units, 256 inputs), where oneDNN 2.6's RNNs spend most of their time outside the
// gate products: at hidden 32 its LSTM reaches 70 GFLOP/s, a third of a core's f32 peak,
// because it runs every row of a step through memory before the next step
// (bench/ops/rnn_bench BM_RnnForecaster). These kernels carry a few rows at a time through
// all the steps with their state in the first-level cache and compute each block of gate
// columns and its elementwise update while it is in registers. Used by recurrent inference
// and training passes (rnn_kernels.cc decides) on CPUs with AVX-512F, or AVX2 and FMA: one
// generic code for both (small_rnn_forward.h, small_rnn_backward.h). bf16, int8, the tanh
// RNN, larger layers and older CPUs run on oneDNN.
#pragma once

#include <cstdint>

#include "recur/ops/rnn.h"

namespace recur::ops::detail {

namespace small {
constexpr std::int64_t kMaxHidden = 64;  // the largest layer the kernels serve
constexpr std::int64_t kMaxInput = 256;
}  // namespace small

// One segment of a layer and direction: `steps` steps of `rows` rows, time-major and dense,
// in oneDNN's gate order and recur's layouts (recur/ops/rnn.h): LSTM gates i, f, g, o;
// linear-before-reset GRU gates u, r, o with bias [b_u, b_r, b_o, b_hn].
struct SmallRnnCall {
  RnnCell cell = RnnCell::lstm;
  std::int64_t steps = 0, rows = 0, input = 0, hidden = 0;
  const float* src = nullptr;   // [steps, rows, input]
  const float* w_ih = nullptr;  // [input, G hidden]
  const float* w_hh = nullptr;  // [hidden, G hidden]
  const float* bias = nullptr;  // [4 hidden]
  const float* h0 = nullptr;    // [rows, hidden]
  const float* c0 = nullptr;    // [rows, hidden], LSTM only
  float* dst = nullptr;         // [steps, rows, hidden]
  float* h_n = nullptr;         // [rows, hidden]
  float* c_n = nullptr;         // [rows, hidden], LSTM only
  // Training: what backward reads again, per step and row, [steps, rows, kept_width]: the
  // LSTM's gates after their functions and the new cell state (i, f, g, o, c); the GRU's
  // u, r, o and o's hidden product U_o h + b_hn. Null in inference.
  float* gates = nullptr;
};

// Floats a training pass keeps per step and row (SmallRnnCall::gates).
inline std::int64_t kept_width(RnnCell cell, std::int64_t hidden) { return (cell == RnnCell::lstm ? 5 : 4) * hidden; }

// Whether the kernels serve a layer of this cell and size here (small_rnn_isa() not none).
bool small_rnn_fits(RnnCell cell, std::int64_t input, std::int64_t hidden);

// Runs the call on up to `threads` threads. h_n / c_n may alias h0 / c0.
void small_rnn(const SmallRnnCall& call, int threads);

// Backward of one segment of a layer's training pass (small_rnn_backward.cc): from the
// gradients of its outputs and final states back to the gate pre-activations of every
// step (whose products with the inputs, the previous hidden states and the weights give
// the other gradients: one matrix product each, left to the caller) and the initial
// states.
struct SmallRnnBackward {
  RnnCell cell = RnnCell::lstm;
  std::int64_t steps = 0, rows = 0, hidden = 0;
  const float* gates = nullptr;     // [steps, rows, kept_width], SmallRnnCall::gates
  const float* h_prev = nullptr;    // [steps, rows, hidden] each step's previous hidden state (GRU)
  const float* c0 = nullptr;        // [rows, hidden] the segment's initial cell state (LSTM)
  const float* w_hh_t = nullptr;    // W_hh transposed, [G hidden, hidden]
  const float* d_dst = nullptr;     // [steps, rows, hidden]
  const float* dh_final = nullptr;  // [rows, hidden]
  const float* dc_final = nullptr;  // [rows, hidden] (LSTM)
  // Written: the gradient of the pre-activations, [steps, rows, G hidden], on the input's
  // side (x W_ih's) and, for the GRU, whose o adds r (U_o h + b_hn), on the hidden side.
  float* d_gates = nullptr;
  float* d_hidden_gates = nullptr;  // GRU only
  float* dh0 = nullptr;             // [rows, hidden] written
  float* dc0 = nullptr;             // [rows, hidden] written (LSTM)
};

void small_rnn_backward(const SmallRnnBackward& call, int threads);

// The vector instruction set the kernels run on: the CPU's best by default.
enum class SmallRnnIsa { none, avx2, avx512 };
SmallRnnIsa small_rnn_isa();
// For tests, which compare the kernels with oneDNN (none sends every pass to oneDNN) and
// run the AVX2 kernels on an AVX-512 CPU: sets `isa`, or the CPU's best if that is less,
// and returns the one set.
SmallRnnIsa set_small_rnn_isa(SmallRnnIsa isa);

}  // namespace recur::ops::detail
