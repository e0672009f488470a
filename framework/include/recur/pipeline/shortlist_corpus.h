// A vocabulary shortlist learned from a parallel corpus in files (`recur shortlist`, and
// `recur train` for a pipeline naming one): lines paired by number, tokenized by the
// pipeline's source and target tokenizers, counted by search::learn_shortlist.
#pragma once

#include <cstdint>
#include <filesystem>

#include "recur/pipeline/pipeline.h"
#include "recur/search/shortlist_learning.h"

namespace recur {

struct LearnedShortlist {
  search::Shortlist table;
  std::int64_t pairs = 0;  // sentence pairs counted (pairs with an empty side are skipped)
};

// `how` gives top_k, the score and min_score; the vocabularies and `joint` come from the
// pipeline's tokenizers. IoError naming the files if they cannot be read or have
// different line counts; Error if the pipeline has no text source or no target tokenizer.
LearnedShortlist learn_shortlist(const Pipeline& pipeline, const std::filesystem::path& source,
                                 const std::filesystem::path& target, search::ShortlistLearning how);

// Learns it (above) and writes it to `out` (pipeline/shortlist_file.h) with how and from
// what it was learned in the metadata.
LearnedShortlist write_learned_shortlist(const Pipeline& pipeline, const std::filesystem::path& source,
                                         const std::filesystem::path& target, const search::ShortlistLearning& how,
                                         const std::filesystem::path& out);

}  // namespace recur
