// The pointer-generator mixture and the coverage loss of the attention decoders
// (docs/text-models.md, "Copy and coverage"), as functions of tensors: the decoder owns
// the parameters, these combine what it computed.
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"
#include "recur/search/memory_rows.h"

namespace recur::decoders {

// Added to P before the log: log P stays finite (and its gradient bounded) where the
// vocabulary softmax underflows and nothing is copied; label smoothing averages log P
// over every column, so -inf must not occur.
inline constexpr float kCopyFloor = 1e-12f;

// log(p_gen * softmax(logits) + (1 - p_gen) * copy + kCopyFloor) [B, T, width], where
// copy scatters the attention weights [B, T, S] onto source_ids [B, S] (ids < width;
// width >= V, the columns from V on are the extended vocabulary's, never generated).
// logits [B, T, V], p_gen [B, T, 1].
Tensor copy_log_probs(const Tensor& logits, const Tensor& p_gen, const Tensor& weights,
                      const Tensor& source_ids, std::int64_t width);

// The columns of the distribution over the extended vocabulary: max(vocab, largest
// source id + 1).
std::int64_t extended_width(const Tensor& source_ids, std::int64_t vocab);

// ids (i64, any shape) with every id >= vocab replaced by unk: what the decoder embeds.
// No copy when none is; an id >= vocab with unk < 0 is a ShapeError.
Tensor fed_ids(const Tensor& ids, std::int64_t vocab, std::int64_t unk);

// The source ids [N, S] of each hypothesis row (its slot's row of rows.source_ids()).
Tensor row_source_ids(const search::MemoryRows& rows);

// Throws ShapeError unless source_ids is i64 [B, S] with every id in [0, vocab), or in
// [0, vocab + S) when unk >= 0 (extended ids: at most S OOVs per source).
void check_copy_ids(const Tensor& source_ids, std::int64_t b, std::int64_t s, std::int64_t vocab,
                    std::int64_t unk);

// sum_i min(a_i, c_i) of one step: a, c [B, 1, S] -> [B, 1].
Tensor coverage_step_loss(const Tensor& a, const Tensor& c);

// weight * the mean of per-token terms [B, T] over the tokens of tgt_in [B, T] that are
// not `pad` (the positions the cross-entropy counts).
Tensor mean_over_tokens(const Tensor& terms, const Tensor& tgt_in, std::int64_t pad, float weight);

}  // namespace recur::decoders
