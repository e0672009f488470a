// A stack of recurrent layers (LSTM, linear-before-reset GRU or tanh RNN, uni- or
// bidirectional) as a Module, run layer by layer on ops::rnn so that dropout can go between layers.
//
// Parameter names: `l{l}.{w_ih, w_hh, bias}` for one direction, `l{l}.fwd.*` and
// `l{l}.bwd.*` for two; layouts as in recur/ops/rnn.h (w_ih [I_l, G*H], w_hh [H, G*H],
// bias [Gb*H]), I_0 = input_size, I_l = D*H above.
//
// Regularisation (training mode only): dropout on the output of every layer but the top
// one, and weight-drop (DropConnect on every w_hh, one mask per call of weights()).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/nn/init.h"
#include "recur/nn/module.h"
#include "recur/ops/rnn.h"

namespace recur::nn {

// The cells' names in pipeline settings and plugin names: "lstm", "gru", "rnn" (tanh).
std::string_view rnn_cell_name(ops::RnnCell cell);
// The cell of a name above; nullopt for any other.
std::optional<ops::RnnCell> rnn_cell_of(std::string_view name);

struct RnnOptions {
  ops::RnnCell cell = ops::RnnCell::lstm;
  std::int64_t input_size = 0;
  std::int64_t hidden_size = 0;
  std::int64_t layers = 1;
  bool bidirectional = false;
  float dropout = 0.0f;      // between layers
  float weight_drop = 0.0f;  // on every w_hh
};

// The parameters one forward pass uses, [layer][direction].
using RnnWeights = std::vector<std::vector<ops::RnnParams>>;

struct RnnOutput {
  Tensor output;           // [B, T, D*H], the top layer's
  std::vector<Tensor> h_n;  // per layer [D, B, H]
  std::vector<Tensor> c_n;  // per layer [D, B, H], LSTM only
};

class Rnn final : public Module {
 public:
  explicit Rnn(const RnnOptions& options);
  ~Rnn() override;

  // The module's parameters; in training with weight_drop > 0, every w_hh with a fresh
  // DropConnect mask drawn from the module's rng() (recorded, so gradients reach w_hh).
  // Draw once per batch and pass the result to every forward() of that batch.
  RnnWeights weights();

  // x [B, T, I] with lengths as in ops::rnn. h0 and c0 are empty (zeros) or hold one
  // [D, B, H] tensor per layer. Dropout between layers (training) draws from rng().
  // `returns` as in ops::rnn: RnnReturns::states leaves an inference pass's output
  // undefined (the top layer writes none).
  RnnOutput forward(const RnnWeights& weights, const Tensor& x,
                    const std::vector<std::int64_t>& lengths, const std::vector<Tensor>& h0,
                    const std::vector<Tensor>& c0,
                    ops::RnnReturns returns = ops::RnnReturns::output_and_states);

  // w_ih Xavier uniform over the whole matrix, w_hh orthogonal per gate block, biases
  // zero except the LSTM forget gate (1).
  void reset_parameters(init::Generator& gen);

  const RnnOptions& options() const { return options_; }
  std::int64_t directions() const { return options_.bidirectional ? 2 : 1; }

 private:
  RnnOptions options_;
  std::vector<std::unique_ptr<Module>> layers_;  // children l0, l1, ...
  RnnWeights params_;
};

}  // namespace recur::nn
