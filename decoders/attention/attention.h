// Luong-style attention over the encoder's memory (docs/text-models.md): scores of the
// decoder's top-layer outputs h [B, T, H] against per-batch keys [B, S, K], softmax over
// the real source positions, context = weights · states.
//
//   dot      keys = states (needs M == H)            score = h · keys^T
//   general  keys = states w_key^T, w_key [H, M]     score = h · keys^T
//   mlp      keys = states w_key^T, w_key [A, M]     score = tanh(keys + h w_query^T + b_query) · v
//
// Coverage (See et al. 2017), when on: forward() also takes c [B, T, S], the sum of the
// earlier steps' weights, and
//
//   dot, general  score += w_coverage * c                        w_coverage [1]
//   mlp           score = tanh(keys + h w_query^T + b_query + c w_coverage) · v
//                                                                w_coverage [A]
//
// Parameters (names under `decoder.attention.`): w_key (general, mlp); w_query [A, H],
// b_query [A], v [A] (mlp); w_coverage (coverage).
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"
#include "recur/nn/init.h"
#include "recur/nn/module.h"

namespace recur::decoders {

enum class AttentionKind { dot, general, mlp };

// What a decoder's steps read, prepared once per batch: the keys and the states, as
// operands of the steps' products in the inference precision (ops::matmul_operand: bf16
// copies under bf16; mlp keys stay f32, they enter a sum, not a product).
struct AttentionMemory {
  Tensor keys;    // [B, S, K]
  Tensor states;  // [B, S, M]
};

struct AttentionOutput {
  Tensor context;  // [B, T, M]
  Tensor weights;  // [B, T, S], rows sum to 1, 0 at padding
};

class Attention final : public nn::Module {
 public:
  // attention_size (A) is used by mlp only.
  Attention(AttentionKind kind, std::int64_t memory_size, std::int64_t hidden_size,
            std::int64_t attention_size, bool coverage = false);

  // What the scores read, computed once per batch: states [B, S, M] -> [B, S, K].
  Tensor keys(const Tensor& states) const;
  // keys(states) and states for step-by-step inference (AttentionMemory).
  AttentionMemory step_memory(const Tensor& states) const;
  // h [B, T, H]; padding [B, 1, S] is 1 at padded source positions; coverage [B, T, S]
  // (only with coverage on, where it is required).
  AttentionOutput forward(const Tensor& h, const Tensor& keys, const Tensor& states,
                          const Tensor& padding, const Tensor& coverage = {}) const;

  // Each weight U(-1/sqrt(fan_in), 1/sqrt(fan_in)) as a linear layer: w_key from M,
  // w_query and b_query from H, v from A, w_coverage from 1.
  void reset_parameters(nn::init::Generator& gen);

  AttentionKind kind() const { return kind_; }
  bool coverage() const { return w_coverage_.defined(); }

 private:
  Tensor scores(const Tensor& h, const Tensor& keys, const Tensor& coverage) const;

  AttentionKind kind_;
  Tensor w_key_;
  Tensor w_query_, b_query_, v_;
  Tensor w_coverage_;  // coverage only
};

}  // namespace recur::decoders
