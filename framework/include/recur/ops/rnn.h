// Recurrent layers: multi-layer, uni- or bidirectional LSTM, GRU and tanh RNN over a batch
// of variable-length sequences, forward and backward on oneDNN's lstm / lbr_gru /
// vanilla_rnn primitives.
//
// Shapes (B batch, T steps, I input size, H hidden size, L layers, D = 2 if
// bidirectional else 1):
//   input   [B, T, I] f32, batch first, sequences left-aligned; row b has lengths[b]
//           real steps (1 <= lengths[b] <= T); empty `lengths` means all T.
//   h0, c0  [L*D, B, H] initial states, index l*D + d (d = 1 is the reverse direction);
//           undefined means zeros. c0 is LSTM only.
//   output  [B, T, D*H]: forward direction in columns [0, H), reverse in [H, 2H);
//           exactly zero at padded positions.
//   h_n,c_n [L*D, B, H]: the state after each sequence's own last real step (for the
//           reverse direction: after its first step, as in PyTorch).
// Padding never influences real positions: the reverse direction runs on each sequence
// reversed within its own length, and sequences stop at their own length (PyTorch's
// packed-sequence semantics). Layer l+1 reads layer l's output (both directions).
//
// Parameters, one RnnParams per layer and direction, index l*D + d. The layout is
// oneDNN's (ldigo with l = d = 1), so no transposes are needed per call:
//   LSTM  w_ih [I_l, 4H], w_hh [H, 4H], bias [4H]; column blocks are gates (i, f, g, o);
//         bias = b_ih + b_hh of PyTorch.
//   GRU   linear-before-reset: w_ih [I_l, 3H], w_hh [H, 3H], column blocks are gates
//         (u, r, o) = PyTorch's (z, r, n); bias [4H] = [b_iz + b_hz, b_ir + b_hr, b_in,
//         b_hn].
//   tanh  h_t = tanh(x_t w_ih + h_{t-1} w_hh + bias): w_ih [I_l, H], w_hh [H, H],
//         bias [H] = b_ih + b_hh of PyTorch's nn.RNN (nonlinearity 'tanh').
//   I_0 = I, I_l = D*H for l > 0.
// scripts/convert/torch_rnn.py is the one place that maps PyTorch's nn.LSTM / nn.GRU /
// nn.RNN parameters to and from this layout.
//
// Gradients: when recording is on and any input, state or parameter requires a
// gradient, the forward keeps oneDNN's training workspace and records one tape node
// whose backward yields gradients for the input, h0, c0 and every parameter, in the
// layouts above. Under NoGradGuard the forward runs in inference mode.
//
// Cost: one primitive call per distinct length in the batch (per layer and direction);
// primitives are created once per shape and cached. Training primitives read the
// weights in place; inference primitives want oneDNN's own layout, so each weight is
// reordered once and the copy kept with the weight's storage for later calls, valid
// while the storage's version (recur/core/tensor.h) is unchanged: any in-place update
// of a weight (data<float>(), an optimizer step, load_state_dict) is seen.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/core/tensor.h"

namespace recur::ops {

// tanh: the vanilla (Elman) RNN with the tanh nonlinearity.
enum class RnnCell { lstm, gru, tanh };

// Gates per cell (4 for LSTM, 3 for GRU, 1 for tanh) and the bias length in units of H
// (4, 4, 1).
std::int64_t rnn_gates(RnnCell cell);
std::int64_t rnn_bias_gates(RnnCell cell);

// Parameters of one layer and direction.
struct RnnParams {
  Tensor w_ih;  // [I_l, G*H]
  Tensor w_hh;  // [H, G*H]
  Tensor bias;  // [Gb*H]
};

struct RnnResult {
  Tensor output;  // [B, T, D*H]
  Tensor h_n;     // [L*D, B, H]
  Tensor c_n;     // [L*D, B, H], LSTM only (undefined for GRU and tanh)
};

// The number of layers is params.size() / D.
RnnResult lstm(const Tensor& input, const std::vector<std::int64_t>& lengths,
               const std::vector<RnnParams>& params, bool bidirectional,
               const Tensor& h0 = {}, const Tensor& c0 = {});

RnnResult gru(const Tensor& input, const std::vector<std::int64_t>& lengths,
              const std::vector<RnnParams>& params, bool bidirectional,
              const Tensor& h0 = {});

RnnResult rnn_tanh(const Tensor& input, const std::vector<std::int64_t>& lengths,
                   const std::vector<RnnParams>& params, bool bidirectional,
                   const Tensor& h0 = {});

// What an inference pass returns: the top layer's output and the final states, or the
// final states only (a caller that reads no output, such as a many-to-one encoder,
// saves writing [B, T, D*H]; result.output is then undefined). A pass that records
// gradients always returns the output.
enum class RnnReturns { output_and_states, states };

// All of the above (c0 must be undefined but for LSTM).
RnnResult rnn(RnnCell cell, const Tensor& input, const std::vector<std::int64_t>& lengths,
              const std::vector<RnnParams>& params, bool bidirectional, const Tensor& h0,
              const Tensor& c0, RnnReturns returns = RnnReturns::output_and_states);

}  // namespace recur::ops
