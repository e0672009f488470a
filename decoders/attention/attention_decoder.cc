#include "attention_decoder.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "copy_coverage.h"
#include "recur/core/steady_shapes.h"
#include "recur/ops/dropout.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/linear.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"

namespace recur::decoders {

namespace {

// What one batch's decoding carries from step to step. The memory it attends to is held
// once per source in the framework's memory rows (DecoderState::memory_rows()).
class AttentionState final : public DecoderState {
 public:
  using DecoderState::DecoderState;

  std::size_t states = 0, keys = 0, padding = 0;  // handles in memory_rows()
  std::int64_t positions = 0;  // source positions S; the memory holds S' = steady_positions(S)
  std::vector<Tensor> h, c;  // per layer [1, B, H]; c: LSTM only, undefined = zeros
  Tensor coverage;           // [B, 1, S'] sum of the attention so far (coverage only)
  std::int64_t width = 0;    // columns of step()'s log-probs: V + the batch's most OOVs (copy)
  nn::RnnWeights weights;    // one weight-drop mask per batch (training)
  std::optional<ProjectionRows> subset;  // the projection's rows of restrict_output()'s ids
};

AttentionState& state_of(DecoderState& state) {
  auto* s = dynamic_cast<AttentionState*>(&state);
  if (!s) throw Error("attention decoder: the state was made by another decoder");
  return *s;
}

std::int64_t attention_size(const AttentionDecoderSettings& s) {
  return s.attention_size > 0 ? s.attention_size : s.hidden_size;
}

// 1 - mask as [B, 1, S]: where scores are set to -inf.
Tensor padding_of(const Tensor& mask) {
  Tensor padding = Tensor::zeros({mask.dim(0), 1, mask.dim(1)});
  const float* m = mask.data<float>();
  float* p = padding.data<float>();
  for (std::int64_t i = 0; i < mask.numel(); ++i) p[i] = m[i] != 0.0f ? 0.0f : 1.0f;
  return padding;
}

// Row r of y (dim 0) begins with the first min(x's, y's row size) values of row r of x.
void copy_row_prefixes(const Tensor& x, Tensor& y) {
  const std::int64_t rows = x.dim(0);
  const std::int64_t from = rows > 0 ? x.numel() / rows : 0, to = rows > 0 ? y.numel() / rows : 0;
  const auto bytes = static_cast<std::size_t>(std::min(from, to)) * sizeof(float);
  for (std::int64_t r = 0; r < rows; ++r) {
    std::memcpy(y.data<float>() + r * to, x.data<float>() + r * from, bytes);
  }
}

// x [B, S, ...] with positions [S, n) added, filled with `value` (x itself when n == S);
// a mask [B, S] is padded with 0: masked. Plain copies: the state is not differentiated.
Tensor pad_positions(const Tensor& x, std::int64_t n, float value) {
  if (n == x.dim(1)) return x;
  Shape shape = x.shape();
  shape[1] = n;
  Tensor y = Tensor::full(shape, value);
  copy_row_prefixes(x, y);
  return y;
}

// The first n positions of attention weights [B, 1, S'].
Tensor first_positions(const Tensor& weights, std::int64_t n) {
  if (n == weights.dim(2)) return weights;
  Tensor y = Tensor::empty({weights.dim(0), 1, n});
  copy_row_prefixes(weights, y);
  return y;
}

}  // namespace

nn::RnnOptions rnn_options(const RnnDecoderSettings& s) {
  nn::RnnOptions o;
  o.cell = s.cell;
  o.input_size = s.embedding_size;
  o.hidden_size = s.hidden_size;
  o.layers = s.layers;
  o.dropout = s.dropout;
  o.weight_drop = s.weight_drop;
  return o;
}

std::uint64_t decoder_seed(std::uint64_t seed) { return seed ^ 0x9e3779b97f4a7c15ULL; }

std::unique_ptr<nn::Linear> output_projection(const RnnDecoderSettings& s, nn::Embedding& embedding,
                                              std::int64_t vocab_size) {
  if (!s.tie_embeddings) return std::make_unique<nn::Linear>(s.hidden_size, vocab_size);
  if (s.embedding_size != s.hidden_size) {
    throw ShapeError("tied embeddings need embedding size (" + std::to_string(s.embedding_size) +
                     ") == hidden size (" + std::to_string(s.hidden_size) + ")");
  }
  return std::make_unique<nn::Linear>(embedding.weight(), true);
}

Tensor gather_state_rows(const Tensor& x, const Tensor& index) {
  Tensor rows = ops::index_select(ops::reshape(x, {x.dim(1), x.dim(2)}), index);
  return ops::reshape(rows, {1, index.dim(0), x.dim(2)});
}

AttentionDecoder::AttentionDecoder(const AttentionDecoderSettings& settings,
                                   const DecoderSizes& sizes, bool initialise)
    : settings_(settings),
      sizes_(sizes),
      embedding_(sizes.vocab_size, settings.embedding_size, sizes.pad_id),
      bridge_(sizes.summary_size, settings.layers * settings.hidden_size),
      rnn_(rnn_options(settings)),
      attention_(settings.attention, sizes.memory_size, settings.hidden_size,
                 attention_size(settings), settings.coverage),
      output_(sizes.memory_size + settings.hidden_size, settings.hidden_size) {
  projection_ = output_projection(settings, embedding_, sizes.vocab_size);
  register_module("embedding", embedding_);
  register_module("bridge", bridge_);
  register_module("rnn", rnn_);
  register_module("attention", attention_);
  register_module("output", output_);
  register_module("projection", *projection_);
  if (settings.copy) {
    copy_ = std::make_unique<nn::Linear>(
        sizes.memory_size + settings.hidden_size + settings.embedding_size, 1);
    register_module("copy", *copy_);
  }
  if (!initialise) return;
  nn::init::Generator gen(decoder_seed(settings.seed));
  embedding_.reset_parameters(gen);
  bridge_.reset_parameters(gen);
  rnn_.reset_parameters(gen);
  attention_.reset_parameters(gen);
  output_.reset_parameters(gen);
  projection_->reset_parameters(gen);
  if (copy_) copy_->reset_parameters(gen);
}

AttentionDecoder::~AttentionDecoder() = default;

void AttentionDecoder::check_memory(const Memory& m) const {
  auto bad = [](const std::string& what, const Tensor& t, const std::string& want) {
    throw ShapeError("attention decoder: memory " + what + " must be f32 " + want + ", got " +
                     (t.defined() ? std::string(dtype_name(t.dtype())) + " " + shape_str(t.shape())
                                  : std::string("undefined")));
  };
  const Tensor& st = m.states;
  if (!st.defined() || st.dtype() != DType::f32 || st.rank() != 3 || st.dim(2) != sizes_.memory_size) {
    bad("states", st, "[B, S, " + std::to_string(sizes_.memory_size) + "]");
  }
  const std::int64_t b = st.dim(0), s = st.dim(1);
  if (!m.mask.defined() || m.mask.dtype() != DType::f32 || m.mask.shape() != Shape{b, s}) {
    bad("mask", m.mask, shape_str({b, s}));
  }
  if (!m.summary.defined() || m.summary.dtype() != DType::f32 ||
      m.summary.shape() != Shape{b, sizes_.summary_size}) {
    bad("summary", m.summary, shape_str({b, sizes_.summary_size}));
  }
  if (settings_.copy) check_copy_ids(m.source_ids, b, s, sizes_.vocab_size, sizes_.unk_id);
}

Tensor AttentionDecoder::embed(const Tensor& ids) {
  Tensor fed = fed_ids(ids, sizes_.vocab_size, sizes_.unk_id);
  return ops::dropout(embedding_.forward(fed), settings_.dropout, rng(), training());
}

std::int64_t AttentionDecoder::output_width(const Tensor& source_ids) const {
  return copy_ ? extended_width(source_ids, sizes_.vocab_size) : sizes_.vocab_size;
}

std::vector<Tensor> AttentionDecoder::initial_states(const Tensor& summary) const {
  Tensor h = ops::tanh(bridge_.forward(summary));  // [B, L*H]
  std::vector<Tensor> h0;
  if (settings_.layers == 1) {
    h0.push_back(ops::unsqueeze(h, 0));
    return h0;
  }
  auto parts = ops::split(h, std::vector<std::int64_t>(static_cast<std::size_t>(settings_.layers),
                                                       settings_.hidden_size), 1);
  for (const Tensor& p : parts) h0.push_back(ops::unsqueeze(p, 0));
  return h0;
}

Tensor AttentionDecoder::logits(const Tensor& context, const Tensor& h, const ProjectionRows* subset) {
  Tensor o = ops::tanh(output_.forward(ops::concat({context, h}, 2)));
  o = ops::dropout(o, settings_.dropout, rng(), training());
  return subset ? ops::linear(o, subset->weight, subset->bias) : projection_->forward(o);
}

Tensor AttentionDecoder::readout(const AttentionOutput& a, const Tensor& h, const Tensor& e,
                                 const Tensor& source_ids, std::int64_t width, const ProjectionRows* subset) {
  Tensor out = logits(a.context, h, subset);
  if (!copy_) return out;
  Tensor p_gen = ops::sigmoid(copy_->forward(ops::concat({a.context, h, e}, 2)));
  return copy_log_probs(out, p_gen, a.weights, source_ids, width);
}

AttentionOutput AttentionDecoder::attend_with_coverage(const Tensor& h, const Tensor& keys,
                                                       const Memory& memory,
                                                       const Tensor& tgt_in) {
  const std::int64_t b = h.dim(0), t = h.dim(1), s = memory.states.dim(1);
  const Tensor padding = padding_of(memory.mask);
  Tensor coverage = Tensor::zeros({b, 1, s});
  std::vector<Tensor> contexts, weights, losses;
  for (std::int64_t i = 0; i < t; ++i) {
    AttentionOutput a = attention_.forward(ops::narrow(h, 1, i, 1), keys, memory.states, padding,
                                           coverage);
    losses.push_back(coverage_step_loss(a.weights, coverage));
    coverage = ops::add(coverage, a.weights);
    contexts.push_back(std::move(a.context));
    weights.push_back(std::move(a.weights));
  }
  auxiliary_loss_ = mean_over_tokens(ops::concat(losses, 1), tgt_in, sizes_.pad_id,
                                     settings_.coverage_loss);
  return {ops::concat(contexts, 1), ops::concat(weights, 1)};
}

Tensor AttentionDecoder::forward(const Memory& memory, const Tensor& tgt_in) {
  check_memory(memory);
  if (!tgt_in.defined() || tgt_in.dtype() != DType::i64 || tgt_in.rank() != 2 ||
      tgt_in.dim(0) != memory.states.dim(0) || tgt_in.dim(1) < 1) {
    throw ShapeError("attention decoder: targets must be i64 [" +
                     std::to_string(memory.states.dim(0)) + ", T >= 1], got " +
                     (tgt_in.defined() ? shape_str(tgt_in.shape()) : std::string("undefined")));
  }
  auxiliary_loss_ = Tensor();
  Tensor keys = attention_.keys(memory.states);
  Tensor e = embed(tgt_in);
  nn::RnnOutput r =
      rnn_.forward(rnn_.weights(), e, {}, initial_states(memory.summary), {});
  AttentionOutput a =
      settings_.coverage
          ? attend_with_coverage(r.output, keys, memory, tgt_in)
          : attention_.forward(r.output, keys, memory.states, padding_of(memory.mask));
  return readout(a, r.output, e, memory.source_ids, output_width(memory.source_ids));
}

std::unique_ptr<DecoderState> AttentionDecoder::init_state(const Memory& memory,
                                                          search::MemoryRows rows) {
  check_memory(memory);
  auto s = std::make_unique<AttentionState>(std::move(rows));
  search::MemoryRows& m = s->memory_rows();
  // Source positions padded to a steady count (core/steady_shapes.h) and masked, so that
  // the step's attention takes a few shapes for all source lengths; their weights are 0.
  s->positions = memory.states.dim(1);
  const std::int64_t steady = steady_positions(s->positions);
  const Tensor states = pad_positions(memory.states, steady, 0.0f);
  AttentionMemory memory_operands = attention_.step_memory(states);
  s->states = m.hold(memory_operands.states);
  s->keys = m.hold(memory_operands.keys);  // the same tensor for dot attention
  s->padding = m.hold(padding_of(pad_positions(memory.mask, steady, 0.0f)));
  s->h = initial_states(memory.summary);
  if (settings_.cell == ops::RnnCell::lstm) s->c.resize(s->h.size());
  s->weights = rnn_.weights();
  if (settings_.coverage) s->coverage = Tensor::zeros({m.rows(), 1, steady});
  s->width = output_width(memory.source_ids);
  return s;
}

StepOutput AttentionDecoder::step(DecoderState& state, const std::vector<std::int64_t>& prev_ids) {
  AttentionState& s = state_of(state);
  const std::int64_t b = s.batch_size();
  if (static_cast<std::int64_t>(prev_ids.size()) != b) {
    throw ShapeError("attention decoder: " + std::to_string(prev_ids.size()) +
                     " previous ids for a state of " + std::to_string(b) + " rows");
  }
  Tensor ids = Tensor::from<std::int64_t>({b, 1}, prev_ids);
  Tensor e = embed(ids);
  nn::RnnOutput r = rnn_.forward(s.weights, e, {}, s.h, s.c);
  s.h = std::move(r.h_n);
  if (settings_.cell == ops::RnnCell::lstm) s.c = std::move(r.c_n);
  // Each row attends to its own source's memory, on the memory rows' grid.
  const search::MemoryRows& m = s.memory_rows();
  AttentionOutput grid = attention_.forward(
      m.to_grid(r.output), m.grid_memory(s.keys), m.grid_memory(s.states),
      m.grid_memory(s.padding), settings_.coverage ? m.to_grid(s.coverage) : Tensor());
  AttentionOutput a{m.from_grid(grid.context), m.from_grid(grid.weights)};
  if (settings_.coverage) s.coverage = ops::add(s.coverage, a.weights);
  a.weights = first_positions(a.weights, s.positions);
  Tensor out = readout(a, r.output, e, copy_ ? row_source_ids(m) : Tensor(), s.width,
                       s.subset ? &*s.subset : nullptr);
  if (!copy_) ops::log_softmax_in_place(out, -1);  // the projection's fresh output
  return {ops::reshape(out, {b, out.dim(-1)}), ops::reshape(a.weights, {b, a.weights.dim(2)})};
}

void AttentionDecoder::restrict_output(DecoderState& state, const std::vector<std::int64_t>& ids) {
  if (copy_) throw Error("attention decoder: a copying decoder scores the whole vocabulary (no output subset)");
  check_output_subset(ids, sizes_.vocab_size, "attention decoder");
  AttentionState& s = state_of(state);
  // Row j of the sliced projection is row ids[j] of the full one: the same dot products.
  const Tensor idx = Tensor::from<std::int64_t>({static_cast<std::int64_t>(ids.size())}, ids);
  ProjectionRows rows;
  rows.weight = ops::index_select(projection_->weight().detach(), idx);
  if (projection_->bias().defined()) {
    const Tensor bias = ops::reshape(projection_->bias().detach(), {sizes_.vocab_size, 1});
    rows.bias = ops::reshape(ops::index_select(bias, idx), {idx.dim(0)});
  }
  s.subset = std::move(rows);
}

void AttentionDecoder::reorder_state(DecoderState& state, const std::vector<std::int64_t>& index) {
  AttentionState& s = state_of(state);
  Tensor idx = Tensor::from<std::int64_t>({static_cast<std::int64_t>(index.size())}, index);
  for (Tensor& h : s.h) h = gather_state_rows(h, idx);
  for (Tensor& c : s.c) {
    if (c.defined()) c = gather_state_rows(c, idx);
  }
  if (s.coverage.defined()) {  // [B, 1, S]: rows of [B, S]
    const std::int64_t len = s.coverage.dim(2);
    Tensor rows = ops::index_select(ops::reshape(s.coverage, {s.coverage.dim(0), len}), idx);
    s.coverage = ops::reshape(rows, {idx.dim(0), 1, len});
  }
}

}  // namespace recur::decoders
