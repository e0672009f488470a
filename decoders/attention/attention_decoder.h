// The `gru`, `lstm` and `rnn` (tanh RNN) attention decoders (docs/text-models.md): one
// implementation, the cell chosen by the plugin name.
//
//   init:     h0[l] = tanh(bridge(summary))[:, l*H:(l+1)*H], c0 = 0 (LSTM), keys once per batch
//             (states, keys and padding held once per source in the memory rows)
//   forward:  embedding -> dropout -> L-layer RNN over all T (dropout between layers) ->
//             attention over the memory -> o = dropout(tanh(output([ctx ; h]))) ->
//             logits = projection(o)
//   step:     the same for T = 1 on the state; log_softmax(logits) and the attention
//
// Output subset (recur/output_subset.h, a vocabulary shortlist): restrict_output() slices
// the projection's weight rows and bias to the ids once per batch, into the state; step()
// then computes logits and log_softmax over those rows only. Not with copy (copied ids
// may lie anywhere in the vocabulary).
//
// Copy attention (pointer-generator, See et al. 2017), `copy: true`: forward() returns
// log P, normalised log-probs, instead of logits, and step() returns the same log P:
//   p_gen = sigmoid(copy([ctx ; h ; e]))                 decoder.copy.{weight [1, M+H+E], bias [1]}
//   P     = p_gen softmax(logits) + (1 - p_gen) scatter_add(a onto Memory::source_ids)
//   out   = log(P + 1e-12)                                (kCopyFloor, copy_coverage.h)
// The source ids must be target ids (a joint vocabulary: one tokenizer model for source
// and target); an id >= V is a ShapeError. teacher_forcing_loss needs no change: its
// log_softmax of log P is the identity.
// Extended vocabulary (copy only, See et al.): a source id in [V, V + S) is a source word
// outside the vocabulary (the task numbers each source's OOVs V, V+1, ...; docs/
// text-models.md). Then forward() and step() return V_ext = max(V, largest source id + 1)
// columns: the generated part is 0 beyond V, the copied mass of an OOV goes to its id. An
// input id >= V (an OOV chosen by search, or a training target) is fed as unk.
// Coverage, `coverage: true`: c_t = a_1 + ... + a_{t-1} (zeros at t = 1) enters the
// attention scores (attention.h, decoder.attention.w_coverage). forward() then runs the
// attention one target position at a time (the RNN still runs over all T at once: no
// input feeding), and auxiliary_loss() is coverage_loss * mean over target tokens of
// sum_i min(a_t,i, c_t,i). step() carries c per row; reorder() moves it with the row.
//
// Pipeline settings (all optional):
//   embedding_size: 256
//   hidden_size: 256
//   layers: 1
//   attention: general       # dot (needs memory size == hidden_size) | general | mlp
//   attention_size: H        # A, mlp only
//   dropout: 0.2             # on embeddings, between layers and on o; training only
//   weight_drop: 0.0         # DropConnect on every w_hh, one mask per batch; training only
//   tie_embeddings: false    # projection reuses the embedding table (embedding_size == hidden_size)
//   copy: false              # pointer-generator (above); needs Memory::source_ids
//   coverage: false          # coverage vector in the attention scores, coverage loss
//   coverage_loss: 1.0       # weight of the coverage loss (coverage only; training only)
//   seed: 1                  # initialisation (dropout draws from the module's rng())
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "attention.h"
#include "recur/decoder.h"
#include "recur/output_subset.h"
#include "recur/nn/embedding.h"
#include "recur/nn/linear.h"
#include "recur/nn/rnn.h"
#include "recur/plugin/component.h"

namespace recur::decoders {

// What every decoder of this plugin has (the attention decoder and the language model).
struct RnnDecoderSettings {
  ops::RnnCell cell = ops::RnnCell::lstm;
  std::int64_t embedding_size = 256;
  std::int64_t hidden_size = 256;
  std::int64_t layers = 1;
  float dropout = 0.2f;
  float weight_drop = 0.0f;
  bool tie_embeddings = false;
  std::uint64_t seed = 1;
};

struct AttentionDecoderSettings : RnnDecoderSettings {
  AttentionKind attention = AttentionKind::general;
  std::int64_t attention_size = 0;  // 0: hidden_size
  bool copy = false;
  bool coverage = false;
  float coverage_loss = 1.0f;
};

// What the decoder is built against (from BuildContext).
struct DecoderSizes {
  std::int64_t vocab_size = 0;    // target vocabulary V
  std::int64_t memory_size = 0;   // M, feature size of the memory states
  std::int64_t summary_size = 0;  // Ms, feature size of the memory summary
  std::int64_t pad_id = 0;        // target padding id
  std::int64_t unk_id = -1;       // target unknown-token id (-1: none, no extended vocabulary)
};

// Rows of the output projection (an output subset): weight [N, H], bias [N] or undefined.
struct ProjectionRows {
  Tensor weight, bias;
};

class AttentionDecoder final : public Decoder, public OutputSubset {
 public:
  // Parameters are initialised from settings.seed, or left zero when `initialise` is
  // false (weights are loaded next). ShapeError if the settings do not fit the sizes
  // (dot attention, tied embeddings).
  AttentionDecoder(const AttentionDecoderSettings& settings, const DecoderSizes& sizes,
                   bool initialise = true);
  ~AttentionDecoder() override;

  StepOutput step(DecoderState& state, const std::vector<std::int64_t>& prev_ids) override;
  Tensor forward(const Memory& memory, const Tensor& tgt_in) override;
  std::int64_t vocab_size() const override { return sizes_.vocab_size; }
  Tensor auxiliary_loss() const override { return auxiliary_loss_; }
  bool output_subset_supported() const override { return !copy_; }
  void restrict_output(DecoderState& state, const std::vector<std::int64_t>& ids) override;

  const AttentionDecoderSettings& settings() const { return settings_; }

 protected:
  std::unique_ptr<DecoderState> init_state(const Memory& memory, search::MemoryRows rows) override;
  void reorder_state(DecoderState& state, const std::vector<std::int64_t>& index) override;

 private:
  std::vector<Tensor> initial_states(const Tensor& summary) const;
  // The output layer and projection on the attention context and top-layer outputs h
  // [B, T, ...]: logits [B, T, V], or [B, T, N] over the N rows of a restricted
  // projection (`subset`: weight [N, H] and bias [N] sliced by restrict_output).
  Tensor logits(const Tensor& context, const Tensor& h, const ProjectionRows* subset = nullptr);
  // What forward() and step() return from the attention output, the top-layer outputs h
  // and the embedded inputs e [B, T, ...]: logits, or log P with copy (source_ids [B, S])
  // over `width` columns (the extended vocabulary).
  Tensor readout(const AttentionOutput& a, const Tensor& h, const Tensor& e,
                 const Tensor& source_ids, std::int64_t width, const ProjectionRows* subset = nullptr);
  // Embedded input ids (extended ids fed as unk), dropout in training.
  Tensor embed(const Tensor& ids);
  // Columns of the output for these source ids: V, or with copy V + the most OOVs.
  std::int64_t output_width(const Tensor& source_ids) const;
  // Teacher-forcing attention with coverage, one position at a time; sets the
  // coverage loss.
  AttentionOutput attend_with_coverage(const Tensor& h, const Tensor& keys, const Memory& memory,
                                       const Tensor& tgt_in);
  void check_memory(const Memory& memory) const;

  AttentionDecoderSettings settings_;
  DecoderSizes sizes_;
  nn::Embedding embedding_;
  nn::Linear bridge_;
  nn::Rnn rnn_;
  Attention attention_;
  nn::Linear output_;
  std::unique_ptr<nn::Linear> projection_;
  std::unique_ptr<nn::Linear> copy_;  // p_gen (copy only)
  Tensor auxiliary_loss_;             // of the last forward()
};

// Shared by the decoders of this plugin (attention and language model):
// The RNN stack of the settings: embedding_size inputs, dropout between layers, weight drop.
nn::RnnOptions rnn_options(const RnnDecoderSettings& s);
// The decoder's initialisation stream: an encoder and a decoder with the same `seed`
// setting must not start from the same numbers (equal-shaped embedding tables would be
// equal), so the decoder's seed is mixed with a constant (2^64 / golden ratio).
std::uint64_t decoder_seed(std::uint64_t seed);
// The projection to the vocabulary: its own [H, V] weights, or the embedding table's
// (tie_embeddings; ShapeError unless embedding_size == hidden_size).
std::unique_ptr<nn::Linear> output_projection(const RnnDecoderSettings& s, nn::Embedding& embedding,
                                              std::int64_t vocab_size);
// Rows `index` (i64 [N]) of a per-layer state [1, B, H]: [1, N, H].
Tensor gather_state_rows(const Tensor& x, const Tensor& index);

// Reads the keys of RnnDecoderSettings over `s` (its values are the defaults); ConfigError
// at the key. The caller checks tie_embeddings after section.finish().
void parse_rnn_decoder_settings(const config::Section& section, RnnDecoderSettings& s);
// tie_embeddings needs embedding_size == hidden_size: ConfigError at the key otherwise.
void check_tied_embeddings(const config::Section& section, const RnnDecoderSettings& s);

// Parses the settings above for the decoder of the given cell, checking them against
// the sizes; ConfigError naming file:line and key if wrong.
AttentionDecoderSettings parse_attention_decoder_settings(const config::Section& section,
                                                          ops::RnnCell cell,
                                                          const DecoderSizes& sizes);
// The factories registered as (decoder, gru), (decoder, lstm) and (decoder, rnn).
std::unique_ptr<Decoder> gru_decoder_factory(const config::Section& section,
                                             const BuildContext& context);
std::unique_ptr<Decoder> lstm_decoder_factory(const config::Section& section,
                                              const BuildContext& context);
std::unique_ptr<Decoder> rnn_decoder_factory(const config::Section& section,
                                             const BuildContext& context);

}  // namespace recur::decoders
