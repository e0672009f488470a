// The `bilstm` text encoder (docs/text-models.md): embedding -> dropout -> L bidirectional
// recurrent layers (LSTM by default) with dropout between them -> Memory {states [B,S,2H],
// mask [B,S], summary [B,2H] = top layer's [h_fwd_last ; h_bwd_last]}. The name stays
// `bilstm` whatever the cell, so existing pipelines and model folders keep working.
//
// Pipeline settings (all optional):
//   cell: lstm              # lstm | gru | rnn (tanh): the recurrent cell of every layer
//   embedding_size: 256     # E
//   hidden_size: 256        # H per direction; memory and summary size are 2H
//   bidirectional: true     # false: one left-to-right direction, memory and summary H
//   layers: 2
//   dropout: 0.2            # on embeddings and between layers, training only
//   weight_drop: 0.0        # DropConnect on every w_hh, one mask per batch, training only
//   embeddings: glove.txt   # pretrained vectors, GloVe or word2vec text: "word v1 ... vE"
//                           #   per line (recur/nn/pretrained_embeddings.h)
//   embeddings_vocab: v.txt #   the source tokenizer's word vocab file (recur/text/vocab.h:
//                           #   line i is id i + 4); required with `embeddings`
//   freeze_embeddings: false  # keep the embedding table fixed in training
//   seed: 1                 # initialisation
// Pretrained vectors are read when the encoder is built; a trained model's weights file
// overrides them, so a shipped pipeline can drop the two keys.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "recur/encoder.h"
#include "recur/nn/embedding.h"
#include "recur/nn/pretrained_embeddings.h"
#include "recur/nn/rnn.h"
#include "recur/plugin/component.h"

namespace recur::encoders {

struct BiLstmSettings {
  ops::RnnCell cell = ops::RnnCell::lstm;
  std::int64_t embedding_size = 256;
  std::int64_t hidden_size = 256;
  std::int64_t layers = 2;
  bool bidirectional = true;
  float dropout = 0.2f;
  float weight_drop = 0.0f;
  std::filesystem::path embeddings;        // empty: none
  std::filesystem::path embeddings_vocab;  // set with `embeddings`
  bool freeze_embeddings = false;
  std::uint64_t seed = 1;
};

class BiLstmEncoder final : public Encoder {
 public:
  // Parameters are initialised from settings.seed (docs/text-models.md), or left zero
  // when `initialise` is false (weights are loaded next); pretrained embeddings are not
  // read here (see load_embeddings()). Dropout draws from the module's rng() (the
  // trainer reseeds it every step).
  BiLstmEncoder(const BiLstmSettings& settings, std::int64_t vocab_size, std::int64_t pad_id,
                bool initialise = true);

  // batch.data: i64 ids [B, S]; batch.lengths: B lengths in [1, S] (empty: all S).
  Memory encode(const SourceBatch& batch) override;
  std::int64_t memory_size() const override { return directions() * settings_.hidden_size; }
  std::int64_t summary_size() const override { return directions() * settings_.hidden_size; }
  std::int64_t directions() const { return settings_.bidirectional ? 2 : 1; }

  // Copies pretrained vectors into the embedding table (recur/nn/pretrained_embeddings.h);
  // returns what was found. IoError if no entry of the vocabulary has a vector.
  nn::PretrainedEmbeddingsReport load_embeddings(const std::filesystem::path& vectors,
                                                 const std::filesystem::path& vocab);
  // Stops (or restarts) training of the embedding table.
  void freeze_embeddings(bool frozen);

  const BiLstmSettings& settings() const { return settings_; }
  const nn::Embedding& embedding() const { return embedding_; }

 private:
  BiLstmSettings settings_;
  nn::Embedding embedding_;
  nn::Rnn rnn_;
};

// Parses the settings above; ConfigError naming file:line and key if wrong.
BiLstmSettings parse_bilstm_settings(const config::Section& section);
// The factory registered as (encoder, bilstm): needs a text source (source_vocab_size).
std::unique_ptr<Encoder> bilstm_factory(const config::Section& section,
                                        const BuildContext& context);

}  // namespace recur::encoders
