// Learning a vocabulary shortlist's lexical table (shortlist.h) from a parallel corpus of
// ids. For each source piece s, its candidates are the target pieces t that co-occur
// with it in sentence pairs, ranked by a score of association, best first, ties to the
// larger c(s, t), then to the lower id; the top_k best scoring at least min_score are
// kept. c counts the pairs containing a piece, or both pieces (of n pairs):
//   llr   Dunning's log-likelihood ratio G2 of the 2x2 table (s or not, t or not), made
//         negative for a negative association. Chance co-occurrences of rare pieces score
//         low, so a threshold (10.83: p < 0.001 for one degree of freedom) drops them.
//   dice  2 c(s, t) / (c(s) + c(t)). With a joint vocabulary
// (source id s is target id s), s itself comes first when the target side ever has it:
// names, numbers and package names are copied. The frequency order lists the target
// ids by c(t), most frequent first (ties to the lower id), then the ids never seen.
//
// Counting needs c(s, t) for every pair of pieces: the source vocabulary is counted in
// blocks whose counts take at most 64 MB, one pass over the corpus per block.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/search/shortlist.h"

namespace recur::search {

enum class ShortlistScore { llr, dice };

struct ShortlistLearning {
  std::int64_t source_vocab = 0;
  std::int64_t target_vocab = 0;
  std::int64_t top_k = 50;     // candidates kept per source piece (>= 1)
  bool joint = false;          // source id s is target id s (one tokenizer model)
  ShortlistScore score = ShortlistScore::llr;
  double min_score = 10.83;    // candidates scoring less are dropped
};

// source[i] and target[i] are the ids of pair i (no bos/eos needed; repeats count once
// per pair). Ids outside the vocabularies are an Error naming the pair.
Shortlist learn_shortlist(const std::vector<std::vector<std::int64_t>>& source,
                          const std::vector<std::vector<std::int64_t>>& target, const ShortlistLearning& settings);

}  // namespace recur::search
