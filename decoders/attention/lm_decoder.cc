#include "lm_decoder.h"

#include <algorithm>
#include <string>

#include "recur/ops/dropout.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"

namespace recur::decoders {

namespace {

// A language model's decoding state: the recurrent state per layer, empty until the
// first step (zeros).
class LmState final : public DecoderState {
 public:
  using DecoderState::DecoderState;

  std::vector<Tensor> h, c;  // per layer [1, B, H]; c: LSTM only
  nn::RnnWeights weights;
};

LmState& state_of(DecoderState& state) {
  auto* s = dynamic_cast<LmState*>(&state);
  if (!s) throw Error("language model decoder: the state was made by another decoder");
  return *s;
}

void check_ids(const Tensor& ids, const char* what) {
  if (!ids.defined() || ids.dtype() != DType::i64 || ids.rank() != 2 || ids.dim(0) < 1 || ids.dim(1) < 1) {
    throw ShapeError(std::string("language model decoder: ") + what + " must be i64 [B >= 1, T >= 1], got " +
                     (ids.defined() ? shape_str(ids.shape()) : std::string("undefined")));
  }
}

}  // namespace

LmDecoder::LmDecoder(const LmDecoderSettings& settings, std::int64_t vocab_size, std::int64_t pad_id,
                     bool initialise)
    : settings_(settings),
      vocab_size_(vocab_size),
      embedding_(vocab_size, settings.embedding_size, pad_id),
      rnn_(rnn_options(settings)) {
  projection_ = output_projection(settings, embedding_, vocab_size);
  register_module("embedding", embedding_);
  register_module("rnn", rnn_);
  register_module("projection", *projection_);
  if (!initialise) return;
  nn::init::Generator gen(decoder_seed(settings.seed));
  embedding_.reset_parameters(gen);
  rnn_.reset_parameters(gen);
  projection_->reset_parameters(gen);
}

LmDecoder::~LmDecoder() = default;

Tensor LmDecoder::run(const Tensor& ids, const std::vector<Tensor>& h0, const std::vector<Tensor>& c0,
                      nn::RnnOutput& out) {
  Tensor e = ops::dropout(embedding_.forward(ids), settings_.dropout, rng(), training());
  out = rnn_.forward(rnn_.weights(), e, {}, h0, c0);
  Tensor o = ops::dropout(out.output, settings_.dropout, rng(), training());
  return projection_->forward(o);
}

Tensor LmDecoder::forward(const Memory& memory, const Tensor& tgt_in) {
  if (!memory.empty()) throw ShapeError("language model decoder: it has no encoder, the memory must be empty");
  std::vector<Tensor> carry;
  return forward_carried(tgt_in, carry);
}

Tensor LmDecoder::forward_carried(const Tensor& tgt, std::vector<Tensor>& carry) {
  check_ids(tgt, "ids");
  const auto layers = static_cast<std::size_t>(settings_.layers);
  const bool lstm = settings_.cell == ops::RnnCell::lstm;
  const std::size_t parts = lstm ? 2 * layers : layers;
  std::vector<Tensor> h0, c0;
  if (!carry.empty()) {
    if (carry.size() != parts) {
      throw ShapeError("language model decoder: carried state of " + std::to_string(carry.size()) +
                       " tensors, expected " + std::to_string(parts));
    }
    const Shape want{1, tgt.dim(0), settings_.hidden_size};
    for (const Tensor& t : carry) {
      if (!t.defined() || t.shape() != want) {
        throw ShapeError("language model decoder: carried state " +
                         (t.defined() ? shape_str(t.shape()) : std::string("undefined")) + ", expected " +
                         shape_str(want));
      }
    }
    h0.assign(carry.begin(), carry.begin() + static_cast<std::ptrdiff_t>(layers));
    if (lstm) c0.assign(carry.begin() + static_cast<std::ptrdiff_t>(layers), carry.end());
  }
  nn::RnnOutput r;
  Tensor logits = run(tgt, h0, c0, r);
  carry.clear();
  for (const Tensor& h : r.h_n) carry.push_back(h.detach());
  for (const Tensor& c : r.c_n) carry.push_back(c.detach());
  return logits;
}

std::unique_ptr<DecoderState> LmDecoder::init_state(const Memory& memory, search::MemoryRows rows) {
  if (!memory.empty()) throw ShapeError("language model decoder: it has no encoder, the memory must be empty");
  auto s = std::make_unique<LmState>(std::move(rows));
  s->weights = rnn_.weights();
  return s;
}

StepOutput LmDecoder::step(DecoderState& state, const std::vector<std::int64_t>& prev_ids) {
  LmState& s = state_of(state);
  const std::int64_t b = s.batch_size();
  if (static_cast<std::int64_t>(prev_ids.size()) != b) {
    throw ShapeError("language model decoder: " + std::to_string(prev_ids.size()) + " previous ids for a state of " +
                     std::to_string(b) + " rows");
  }
  Tensor ids = Tensor::from<std::int64_t>({b, 1}, prev_ids);
  Tensor e = ops::dropout(embedding_.forward(ids), settings_.dropout, rng(), training());
  nn::RnnOutput r = rnn_.forward(s.weights, e, {}, s.h, s.c);
  s.h = std::move(r.h_n);
  s.c = std::move(r.c_n);
  Tensor o = ops::dropout(r.output, settings_.dropout, rng(), training());
  Tensor out = projection_->forward(o);
  ops::log_softmax_in_place(out, -1);  // the projection's fresh output
  return {ops::reshape(out, {b, vocab_size_}), Tensor()};
}

Tensor LmDecoder::hidden_states(const std::vector<std::int64_t>& ids, std::int64_t layer) {
  if (layer < 0 || layer >= settings_.layers) {
    throw Error("language model decoder: no layer " + std::to_string(layer) + " (it has " +
                std::to_string(settings_.layers) + ": 0 to " + std::to_string(settings_.layers - 1) + ")");
  }
  if (ids.empty()) throw ShapeError("language model decoder: hidden states of an empty text");
  const std::int64_t h = settings_.hidden_size;
  Tensor states = Tensor::zeros({static_cast<std::int64_t>(ids.size()), h});
  float* out = states.data<float>();
  const nn::RnnWeights weights = rnn_.weights();
  std::vector<Tensor> hs, cs;
  for (std::size_t t = 0; t < ids.size(); ++t) {
    Tensor e = embedding_.forward(Tensor::from<std::int64_t>({1, 1}, std::vector<std::int64_t>{ids[t]}));
    nn::RnnOutput r = rnn_.forward(weights, e, {}, hs, cs);
    hs = std::move(r.h_n);
    cs = std::move(r.c_n);
    const float* row = hs[static_cast<std::size_t>(layer)].data<float>();
    std::copy(row, row + h, out + static_cast<std::int64_t>(t) * h);
  }
  return states;
}

void LmDecoder::reorder_state(DecoderState& state, const std::vector<std::int64_t>& index) {
  LmState& s = state_of(state);
  if (s.h.empty()) return;  // zeros before the first step: every order is the same
  Tensor idx = Tensor::from<std::int64_t>({static_cast<std::int64_t>(index.size())}, index);
  for (Tensor& h : s.h) h = gather_state_rows(h, idx);
  for (Tensor& c : s.c) c = gather_state_rows(c, idx);
}

}  // namespace recur::decoders
