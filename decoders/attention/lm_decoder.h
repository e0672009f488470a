// The `gru`, `lstm` and `rnn` decoders built without an encoder: a language model
// (docs/text-models.md). The factories of attention_decoder.h build this one when the
// pipeline has no encoder (task language_model).
//
//   forward / step:  logits = projection(dropout(RNN_L(dropout(embedding(x)))))
//                    (dropout between the L layers too; training only)
//   initial state:   zeros; forward_carried() continues from the state of the previous chunk
//   carried state:   h per layer [1, B, H], then c per layer (LSTM)
//   hidden states:   h of any layer at every position of a text (HiddenStateReader)
//
// Pipeline settings (all optional):
//   embedding_size: 256
//   hidden_size: 512
//   layers: 2
//   dropout: 0.2             # on embeddings, between layers and on the top outputs
//   weight_drop: 0.0         # DropConnect on every w_hh, one mask per chunk; training only
//   tie_embeddings: false    # projection reuses the embedding table (embedding_size == hidden_size)
//   seed: 1                  # initialisation
// The attention keys (attention, attention_size, copy, coverage, coverage_loss) are
// errors: there is nothing to attend to.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "attention_decoder.h"
#include "recur/decoder.h"
#include "recur/hidden_states.h"
#include "recur/nn/embedding.h"
#include "recur/nn/linear.h"
#include "recur/nn/rnn.h"

namespace recur::decoders {

struct LmDecoderSettings : RnnDecoderSettings {
  LmDecoderSettings() {
    hidden_size = 512;
    layers = 2;
  }
};

class LmDecoder final : public Decoder, public HiddenStateReader {
 public:
  // Parameters are initialised from settings.seed, or left zero when `initialise` is
  // false. ShapeError if tied embeddings do not fit.
  LmDecoder(const LmDecoderSettings& settings, std::int64_t vocab_size, std::int64_t pad_id,
            bool initialise = true);
  ~LmDecoder() override;

  StepOutput step(DecoderState& state, const std::vector<std::int64_t>& prev_ids) override;
  // The memory must be empty (ShapeError otherwise): forward_carried from zeros.
  Tensor forward(const Memory& memory, const Tensor& tgt_in) override;
  Tensor forward_carried(const Tensor& tgt, std::vector<Tensor>& carry) override;
  std::int64_t vocab_size() const override { return vocab_size_; }

  // HiddenStateReader: h of one layer after each id, stepping as generation does.
  std::int64_t hidden_layers() const override { return settings_.layers; }
  std::int64_t hidden_units() const override { return settings_.hidden_size; }
  Tensor hidden_states(const std::vector<std::int64_t>& ids, std::int64_t layer) override;

  const LmDecoderSettings& settings() const { return settings_; }

 protected:
  std::unique_ptr<DecoderState> init_state(const Memory& memory, search::MemoryRows rows) override;
  void reorder_state(DecoderState& state, const std::vector<std::int64_t>& index) override;

 private:
  // logits [B, T, V] of ids [B, T] from h0/c0 (empty: zeros); h_n and c_n into `out`.
  Tensor run(const Tensor& ids, const std::vector<Tensor>& h0, const std::vector<Tensor>& c0,
             nn::RnnOutput& out);

  LmDecoderSettings settings_;
  std::int64_t vocab_size_;
  nn::Embedding embedding_;
  nn::Rnn rnn_;
  std::unique_ptr<nn::Linear> projection_;
};

// Parses the settings above; ConfigError naming file:line and key if wrong.
LmDecoderSettings parse_lm_decoder_settings(const config::Section& section, ops::RnnCell cell);

}  // namespace recur::decoders
