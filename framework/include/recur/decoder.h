// Decoder interface: search, training and batching use decoders only through it.
// Plugins: gru, lstm (with attention dot / general / mlp).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/encoder.h"
#include "recur/nn/module.h"
#include "recur/plugin/component.h"

namespace recur {

// Per-batch decoding state (recurrent states, the memory it attends to, ...). Opaque to
// search; only the decoder that made it reads it.
class DecoderState {
 public:
  virtual ~DecoderState();
  // Rows of the batch the state holds.
  virtual std::int64_t batch_size() const = 0;
};

struct StepOutput {
  Tensor log_probs;  // [B, V]
  Tensor attention;  // [B, S] attention weights of this step (may be undefined)
};

class Decoder : public Component, public nn::Module {
 public:
  static constexpr const char* kKind = "decoder";
  ~Decoder() override;

  // Starts decoding a batch whose encoder output is `memory`.
  virtual std::unique_ptr<DecoderState> init(const Memory& memory) = 0;
  // One step: feeds prev_ids [B] (bos at the first step) and returns log-probabilities of
  // the next token. Must agree exactly with forward() under teacher forcing.
  virtual StepOutput step(DecoderState& state, const std::vector<std::int64_t>& prev_ids) = 0;
  // Keeps rows `index` of the state, in that order (beam reordering; the batch may
  // shrink when hypotheses finish, or grow when a row is repeated).
  virtual void reorder(DecoderState& state, const std::vector<std::int64_t>& index) = 0;
  // Teacher forcing: tgt_in [B, T] i64 (bos + target without its last token) ->
  // logits [B, T, V]. Recorded on the tape for training.
  virtual Tensor forward(const Memory& memory, const Tensor& tgt_in) = 0;
  virtual std::int64_t vocab_size() const = 0;
};

}  // namespace recur
