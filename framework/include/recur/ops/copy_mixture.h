// The output distribution of a pointer-generator (copy attention) decoder as one op:
// generating from the vocabulary mixed with copying source tokens through the
// attention weights. Fused so that training holds two [B, T, V] tensors per call
// (the softmax and the mixture) instead of one per elementwise step of the formula.
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"

namespace recur::ops {

// log(p_gen * softmax(logits) + (1 - p_gen) * copy + floor) [B, T, V], where
// copy[b, t, v] = sum of weights[b, t, s] over the s with ids[b, s] == v (repeated ids
// add up; a vocabulary entry no source token names gets 0).
//   logits [B, T, V] f32, p_gen [B, T, 1] f32, weights [B, T, S] f32, ids [B, S] i64.
// torch: (p_gen * logits.softmax(-1) + (1 - p_gen) * zeros(B, T, V).scatter_add_(2,
//   ids[:, None, :].expand(B, T, S), weights) + floor).log().
// The floor keeps log P finite where the softmax underflows and nothing is copied.
// Gradients flow to logits, p_gen and weights; ids get none. An id outside [0, V) or a
// shape that does not match is a ShapeError naming it.
Tensor copy_mixture_log_probs(const Tensor& logits, const Tensor& p_gen, const Tensor& weights,
                              const Tensor& ids, float floor);
// The same over an extended vocabulary of `width` >= V columns (copy attention's source
// words outside the vocabulary, See et al. 2017): the result is [B, T, width], columns
// >= V are generated with probability 0 (only copied), and ids may be in [0, width).
// width == V is the function above.
Tensor copy_mixture_log_probs(const Tensor& logits, const Tensor& p_gen, const Tensor& weights,
                              const Tensor& ids, float floor, std::int64_t width);

}  // namespace recur::ops
