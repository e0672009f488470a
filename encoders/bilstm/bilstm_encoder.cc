#include "bilstm_encoder.h"

#include <string>

#include "recur/nn/pretrained_embeddings.h"
#include "recur/ops/dropout.h"
#include "recur/ops/shape.h"

namespace recur::encoders {

namespace {

nn::RnnOptions rnn_options(const BiLstmSettings& s) {
  nn::RnnOptions o;
  o.cell = s.cell;
  o.input_size = s.embedding_size;
  o.hidden_size = s.hidden_size;
  o.layers = s.layers;
  o.bidirectional = s.bidirectional;
  o.dropout = s.dropout;
  o.weight_drop = s.weight_drop;
  return o;
}

// The lengths of a batch of ids [B, S]: as given, or all S; each in [1, S].
std::vector<std::int64_t> checked_lengths(const SourceBatch& batch) {
  const Tensor& ids = batch.data;
  if (!ids.defined() || ids.dtype() != DType::i64 || ids.rank() != 2 || ids.numel() == 0) {
    throw ShapeError("bilstm: source ids must be a non-empty i64 [batch, length] tensor, got " +
                     (ids.defined() ? std::string(dtype_name(ids.dtype())) + " " +
                                          shape_str(ids.shape())
                                    : std::string("undefined")));
  }
  const std::int64_t b = ids.dim(0), s = ids.dim(1);
  if (batch.lengths.empty()) return std::vector<std::int64_t>(static_cast<std::size_t>(b), s);
  if (static_cast<std::int64_t>(batch.lengths.size()) != b) {
    throw ShapeError("bilstm: " + std::to_string(batch.lengths.size()) + " lengths for " +
                     std::to_string(b) + " sources");
  }
  for (std::int64_t len : batch.lengths) {
    if (len < 1 || len > s) {
      throw ShapeError("bilstm: source length " + std::to_string(len) + " outside [1, " +
                       std::to_string(s) + "]");
    }
  }
  return batch.lengths;
}

Tensor length_mask(const std::vector<std::int64_t>& lengths, std::int64_t steps) {
  Tensor mask = Tensor::zeros({static_cast<std::int64_t>(lengths.size()), steps});
  float* m = mask.data<float>();
  for (std::size_t b = 0; b < lengths.size(); ++b) {
    for (std::int64_t t = 0; t < lengths[b]; ++t) m[static_cast<std::int64_t>(b) * steps + t] = 1.0f;
  }
  return mask;
}

}  // namespace

BiLstmEncoder::BiLstmEncoder(const BiLstmSettings& settings, std::int64_t vocab_size,
                             std::int64_t pad_id, bool initialise)
    : settings_(settings),
      embedding_(vocab_size, settings.embedding_size, pad_id),
      rnn_(rnn_options(settings)) {
  register_module("embedding", embedding_);
  register_module("rnn", rnn_);
  if (initialise) {
    nn::init::Generator gen(settings.seed);
    embedding_.reset_parameters(gen);
    rnn_.reset_parameters(gen);
  }
  freeze_embeddings(settings.freeze_embeddings);
}

Memory BiLstmEncoder::encode(const SourceBatch& batch) {
  const std::vector<std::int64_t> lengths = checked_lengths(batch);
  const std::int64_t b = batch.data.dim(0), s = batch.data.dim(1), h = settings_.hidden_size;
  Tensor x = ops::dropout(embedding_.forward(batch.data), settings_.dropout, rng(), training());
  nn::RnnOutput out = rnn_.forward(rnn_.weights(), x, lengths, {}, {});
  Memory m;
  m.states = out.output;
  m.mask = length_mask(lengths, s);
  // h_n of the top layer is [D, B, H] (forward, backward) -> [B, D H].
  m.summary = ops::reshape(ops::permute(out.h_n.back(), {1, 0, 2}), {b, directions() * h});
  return m;
}

nn::PretrainedEmbeddingsReport BiLstmEncoder::load_embeddings(const std::filesystem::path& vectors,
                                                              const std::filesystem::path& vocab) {
  Tensor table = embedding_.weight();
  const nn::PretrainedEmbeddingsReport found =
      nn::load_pretrained_embeddings(vectors, text::load_vocab(vocab, text::SymbolKind::kWord), table);
  if (found.rows_found == 0) {
    throw IoError(vectors.string() + ": no word of the vocabulary " + vocab.string() +
                  " has a vector");
  }
  return found;
}

void BiLstmEncoder::freeze_embeddings(bool frozen) {
  Tensor table = embedding_.weight();
  table.set_requires_grad(!frozen);
}

}  // namespace recur::encoders
