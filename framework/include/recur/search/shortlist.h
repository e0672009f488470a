// A vocabulary shortlist (as Marian's for CPU decoding): which target pieces a batch may
// produce, so that the decoder's output projection runs over those rows only
// (recur/output_subset.h, search::decode with output ids). A lexical table learned from a
// parallel corpus (shortlist_learning.h) gives each source piece its likely target
// pieces, best first; the most frequent target pieces are always allowed.
//
// Per batch: the union of the first top_k candidates of every source id of the batch,
// the `frequent` most frequent target ids and the ids always allowed (eos, unk), sorted.
// The union is then padded with the next most frequent ids to a multiple of
// kShortlistGranule, so that a batch's projection and softmax see one of a few widths and
// reuse their compiled primitives (every width would compile its own).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "recur/config/option_problem.h"
#include "recur/core/tensor.h"

namespace recur::search {

inline constexpr std::int64_t kShortlistGranule = 512;

// How much of the table a batch uses (the pipeline's `search.shortlist` keys).
struct ShortlistOptions {
  std::int64_t top_k = 50;      // candidates per source id, at most the table's
  std::int64_t frequent = 1000; // most frequent target ids always included
};

class Shortlist {
 public:
  // The table: the candidates of source id s are targets[offsets[s] .. offsets[s + 1]),
  // best first; by_frequency lists target ids, most frequent first (each at most once).
  // `learned_top_k` is the most candidates per source id it was learned to keep (lists may
  // be shorter: a threshold dropped the rest); 0: the longest list. An Error saying what
  // is wrong if the arrays do not fit together or an id is out of range (the file reader
  // adds the file's name).
  Shortlist(std::int64_t target_vocab, std::vector<std::int64_t> offsets,
            std::vector<std::int32_t> targets, std::vector<std::int32_t> by_frequency,
            std::int64_t learned_top_k = 0);

  std::int64_t source_vocab() const { return static_cast<std::int64_t>(offsets_.size()) - 1; }
  std::int64_t target_vocab() const { return target_vocab_; }
  // The longest candidate list, and the top_k it was learned with (>= the longest).
  std::int64_t max_candidates() const { return max_candidates_; }
  std::int64_t learned_top_k() const { return learned_top_k_; }
  std::span<const std::int32_t> candidates(std::int64_t source_id) const;
  const std::vector<std::int64_t>& offsets() const { return offsets_; }
  const std::vector<std::int32_t>& targets() const { return targets_; }
  const std::vector<std::int32_t>& by_frequency() const { return by_frequency_; }

  // The sorted target ids a batch of source ids may produce (above). Source ids outside
  // the table (padding, ids of another vocabulary) add nothing; `always` ids outside
  // [0, target_vocab) are ignored.
  std::vector<std::int64_t> output_ids(std::span<const std::int64_t> source_ids, const ShortlistOptions& options,
                                       std::span<const std::int64_t> always) const;
  // The same for a batch tensor of source ids [B, S] (i64).
  std::vector<std::int64_t> output_ids(const Tensor& source_ids, const ShortlistOptions& options,
                                       std::span<const std::int64_t> always) const;

 private:
  std::int64_t target_vocab_;
  std::vector<std::int64_t> offsets_;
  std::vector<std::int32_t> targets_;
  std::vector<std::int32_t> by_frequency_;
  std::int64_t max_candidates_ = 0;
  std::int64_t learned_top_k_ = 0;
};

// The one validation of ShortlistOptions against a table (none: the options alone);
// `key` is the YAML key under `search.shortlist`.
std::optional<config::OptionProblem> check(const ShortlistOptions& options, const Shortlist* table = nullptr);

}  // namespace recur::search
