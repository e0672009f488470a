// An interface a decoder may also derive from (beside Decoder): scoring only a subset of
// its target vocabulary at each step, for a vocabulary shortlist (search/shortlist.h).
// Search finds it with dynamic_cast on the decoder; a decoder without it (or one that
// says it cannot, e.g. a copying decoder whose copied ids may lie anywhere) decodes over
// the whole vocabulary. Since ABI 4.4.
//
// A decoder with an output projection implements it by slicing the projection's weight
// rows and bias to the ids once per batch (kept in the decoding state) and computing the
// logits and the log-softmax over those rows only: search then reads columns, not ids,
// and maps each chosen column back to its id.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/decoder.h"

namespace recur {

class OutputSubset {
 public:
  virtual ~OutputSubset();

  // Whether restrict_output() can be used with this decoder as configured.
  virtual bool output_subset_supported() const = 0;
  // From now on step() on `state` returns log-probs [B, ids.size()] instead of [B, V]:
  // column j is target id ids[j], normalised over the ids given (the log-softmax of
  // their logits, which equal the full projection's logits at those ids). `ids` are
  // sorted, unique and in [0, V) (ShapeError otherwise); reorder() keeps the
  // restriction. Call it right after Decoder::init().
  virtual void restrict_output(DecoderState& state, const std::vector<std::int64_t>& ids) = 0;
};

// The checks restrict_output() applies to `ids` for a vocabulary of `vocab` (ShapeError
// naming `who`): non-empty, sorted, unique, in range.
void check_output_subset(const std::vector<std::int64_t>& ids, std::int64_t vocab, const char* who);

}  // namespace recur
