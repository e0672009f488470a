#include <algorithm>
#include <string>

#include "recur/nn/rnn.h"
#include "recur/ops/dropout.h"

namespace recur::nn {

std::string_view rnn_cell_name(ops::RnnCell cell) {
  switch (cell) {
    case ops::RnnCell::lstm:
      return "lstm";
    case ops::RnnCell::gru:
      return "gru";
    case ops::RnnCell::tanh:
      break;
  }
  return "rnn";
}

std::optional<ops::RnnCell> rnn_cell_of(std::string_view name) {
  for (ops::RnnCell cell : {ops::RnnCell::lstm, ops::RnnCell::gru, ops::RnnCell::tanh}) {
    if (rnn_cell_name(cell) == name) return cell;
  }
  return std::nullopt;
}

namespace {

// One layer and direction: w_ih, w_hh, bias.
class RnnParamSet final : public Module {
 public:
  RnnParamSet(ops::RnnCell cell, std::int64_t input, std::int64_t hidden) {
    const std::int64_t gh = ops::rnn_gates(cell) * hidden;
    params.w_ih = register_parameter("w_ih", Tensor::zeros({input, gh}));
    params.w_hh = register_parameter("w_hh", Tensor::zeros({hidden, gh}));
    params.bias = register_parameter("bias", Tensor::zeros({ops::rnn_bias_gates(cell) * hidden}));
  }
  ops::RnnParams params;
};

// Both directions of a bidirectional layer.
class RnnPair final : public Module {
 public:
  RnnPair(ops::RnnCell cell, std::int64_t input, std::int64_t hidden)
      : fwd(cell, input, hidden), bwd(cell, input, hidden) {
    register_module("fwd", fwd);
    register_module("bwd", bwd);
  }
  RnnParamSet fwd, bwd;
};

void init_param_set(const RnnOptions& o, ops::RnnParams& p, init::Generator& gen) {
  const std::int64_t h = o.hidden_size, gates = ops::rnn_gates(o.cell);
  // [I, G*H] is the transpose of torch's [G*H, I]: the same fan_in + fan_out.
  init::xavier_uniform(p.w_ih, gen);
  // Gate block g of w_hh is columns [g*H, (g+1)*H); an orthogonal matrix's transpose is
  // orthogonal too, so the block is copied as it comes.
  Tensor block = Tensor::zeros({h, h});
  float* w = p.w_hh.data<float>();
  for (std::int64_t g = 0; g < gates; ++g) {
    init::orthogonal(block, gen);
    const float* q = block.data<float>();
    for (std::int64_t i = 0; i < h; ++i) {
      std::copy(q + i * h, q + (i + 1) * h, w + i * gates * h + g * h);
    }
  }
  init::constant(p.bias, 0.0f);
  if (o.cell == ops::RnnCell::lstm) init::lstm_forget_gate_bias(p.bias, 1.0f);
}

void check_options(const RnnOptions& o) {
  if (o.input_size < 1 || o.hidden_size < 1 || o.layers < 1) {
    throw ShapeError("rnn: input size, hidden size and layers must be positive, got " +
                     std::to_string(o.input_size) + ", " + std::to_string(o.hidden_size) +
                     ", " + std::to_string(o.layers));
  }
  for (float p : {o.dropout, o.weight_drop}) {
    if (!(p >= 0.0f && p < 1.0f)) {
      throw Error("rnn: dropout probabilities must be in [0, 1), got " + std::to_string(p));
    }
  }
}

}  // namespace

Rnn::Rnn(const RnnOptions& options) : options_(options) {
  check_options(options_);
  const std::int64_t d = directions(), h = options_.hidden_size;
  for (std::int64_t l = 0; l < options_.layers; ++l) {
    const std::int64_t in = l == 0 ? options_.input_size : d * h;
    if (options_.bidirectional) {
      auto pair = std::make_unique<RnnPair>(options_.cell, in, h);
      params_.push_back({pair->fwd.params, pair->bwd.params});
      layers_.push_back(std::move(pair));
    } else {
      auto one = std::make_unique<RnnParamSet>(options_.cell, in, h);
      params_.push_back({one->params});
      layers_.push_back(std::move(one));
    }
    std::string name = "l";  // (not "l" + ...: GCC 12 warns falsely on that)
    name += std::to_string(l);
    register_module(std::move(name), *layers_.back());
  }
}

Rnn::~Rnn() = default;

RnnWeights Rnn::weights() {
  if (!training() || options_.weight_drop == 0.0f) return params_;
  RnnWeights w = params_;
  for (auto& layer : w) {
    for (ops::RnnParams& p : layer) p.w_hh = ops::dropout(p.w_hh, options_.weight_drop, rng());
  }
  return w;
}

RnnOutput Rnn::forward(const RnnWeights& weights, const Tensor& x,
                       const std::vector<std::int64_t>& lengths, const std::vector<Tensor>& h0,
                       const std::vector<Tensor>& c0, ops::RnnReturns returns) {
  const auto layers = static_cast<std::size_t>(options_.layers);
  if (weights.size() != layers || (!h0.empty() && h0.size() != layers) ||
      (!c0.empty() && c0.size() != layers)) {
    throw ShapeError("rnn: expected weights and initial states for " +
                     std::to_string(layers) + " layers");
  }
  RnnOutput out;
  Tensor in = x;
  for (std::size_t l = 0; l < layers; ++l) {
    const bool top = l + 1 == layers;
    ops::RnnResult r = ops::rnn(options_.cell, in, lengths, weights[l], options_.bidirectional,
                                h0.empty() ? Tensor() : h0[l], c0.empty() ? Tensor() : c0[l],
                                top ? returns : ops::RnnReturns::output_and_states);
    out.h_n.push_back(r.h_n);
    if (r.c_n.defined()) out.c_n.push_back(r.c_n);
    in = top ? r.output : ops::dropout(r.output, options_.dropout, rng(), training());
  }
  out.output = in;
  return out;
}

void Rnn::reset_parameters(init::Generator& gen) {
  for (auto& layer : params_) {
    for (ops::RnnParams& p : layer) init_param_set(options_, p, gen);
  }
}

}  // namespace recur::nn
