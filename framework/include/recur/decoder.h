// Decoder interface (ABI 4): search, training and batching use decoders only through it.
// Plugins: gru, lstm (with attention dot / general / mlp).
//
// Decoding a batch: init() gives a state with one hypothesis row per source; step()
// feeds one token per row and returns the next token's log-probs; search keeps, drops or
// repeats rows with reorder(). Which source a row decodes against (beam rows share their
// source's memory, held once) is the framework's MemoryRows inside the state: a decoder
// holds the tensors it attends to there in init_state(), attends through its grid in
// step(), and in reorder_state() reorders only its own recurrent state.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/encoder.h"
#include "recur/nn/module.h"
#include "recur/plugin/component.h"
#include "recur/search/memory_rows.h"

namespace recur {

// Per-batch decoding state: the memory rows (framework) and whatever the decoder carries
// from step to step (recurrent states, ...), opaque to search.
class DecoderState {
 public:
  explicit DecoderState(search::MemoryRows rows);
  virtual ~DecoderState();

  // Hypothesis rows of the batch.
  std::int64_t batch_size() const { return rows_.rows(); }
  search::MemoryRows& memory_rows() { return rows_; }
  const search::MemoryRows& memory_rows() const { return rows_; }

 private:
  search::MemoryRows rows_;
};

struct StepOutput {
  Tensor log_probs;  // [B, V]
  Tensor attention;  // [B, S] attention weights of this step (may be undefined)
};

class Decoder : public Component, public nn::Module {
 public:
  static constexpr const char* kKind = "decoder";
  ~Decoder() override;

  // Starts decoding `rows` hypothesis rows, row i on source i of `memory`. The memory may
  // be empty (a decoder-only model: states undefined), then `rows` alone is the batch
  // size; otherwise it must equal the memory's batch (ShapeError). Memory::source_ids,
  // if defined, is held in the state's memory rows.
  std::unique_ptr<DecoderState> init(const Memory& memory, std::int64_t rows);
  // The same with one row per source of a non-empty memory.
  std::unique_ptr<DecoderState> init(const Memory& memory);
  // Keeps rows `index` of the state, in that order (beam reordering; the batch may
  // shrink when hypotheses finish, or grow when a row is repeated): the memory rows,
  // then the decoder's own state (reorder_state). Nothing happens for the identity.
  void reorder(DecoderState& state, const std::vector<std::int64_t>& index);

  // One step: feeds prev_ids [B] (bos at the first step) and returns log-probabilities of
  // the next token. Must agree exactly with forward() under teacher forcing.
  virtual StepOutput step(DecoderState& state, const std::vector<std::int64_t>& prev_ids) = 0;
  // Teacher forcing: tgt_in [B, T] i64 (bos + target without its last token) ->
  // logits [B, T, V]. Recorded on the tape for training. An empty memory has no states.
  virtual Tensor forward(const Memory& memory, const Tensor& tgt_in) = 0;
  virtual std::int64_t vocab_size() const = 0;
  // The weighted extra training term of the last forward() (a scalar on the tape, e.g.
  // the attention decoder's coverage loss), added by teacher_forcing_loss to the
  // cross-entropy; undefined (the default) for decoders without one. Read it right after
  // forward(): the next forward() replaces it.
  virtual Tensor auxiliary_loss() const;
  // Teacher forcing over a long text cut into chunks (a language model under truncated
  // backpropagation through time): tgt [B, T] i64 continues each row from `carry`, the
  // recurrent state after the previous chunk (empty: the initial state), and returns
  // logits [B, T, V] on the tape (position t predicts tgt[:, t + 1]). `carry` is then
  // replaced by the state after the last position, detached from the tape, in a layout
  // the decoder chooses (a list of tensors whose first dimension after the first is the
  // batch, e.g. h and c per layer [1, B, H]). Only decoders that need no memory support
  // it; the default throws an Error naming the decoder.
  virtual Tensor forward_carried(const Tensor& tgt, std::vector<Tensor>& carry);

 protected:
  // The state for init(): `rows` is already sized (rows.rows() rows on rows.slots()
  // sources); hold what step() attends to in it and keep it in the DecoderState.
  virtual std::unique_ptr<DecoderState> init_state(const Memory& memory,
                                                   search::MemoryRows rows) = 0;
  // Keeps rows `index` of the decoder's own per-row state (never the identity). The
  // memory rows are already reordered: state.batch_size() is index.size().
  virtual void reorder_state(DecoderState& state, const std::vector<std::int64_t>& index) = 0;
};

}  // namespace recur
