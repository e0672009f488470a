// A vocabulary shortlist learned from a parallel corpus in files (`recur shortlist`, and
// `recur train` for a pipeline naming one): lines paired by number, tokenized by the
// pipeline's source and target tokenizers, counted by search::learn_shortlist.
#pragma once

#include <cstdint>
#include <filesystem>

#include "recur/pipeline/pipeline.h"
#include "recur/search/shortlist.h"

namespace recur {

struct LearnedShortlist {
  search::Shortlist table;
  std::int64_t pairs = 0;  // sentence pairs counted (pairs with an empty side are skipped)
};

// IoError naming the files if they cannot be read or have different line counts; Error if
// the pipeline has no text source or no target tokenizer.
LearnedShortlist learn_shortlist(const Pipeline& pipeline, const std::filesystem::path& source,
                                 const std::filesystem::path& target, std::int64_t top_k);

// Learns it (above) and writes it to `out` (pipeline/shortlist_file.h) with what it was
// learned from in the metadata.
LearnedShortlist write_learned_shortlist(const Pipeline& pipeline, const std::filesystem::path& source,
                                         const std::filesystem::path& target, std::int64_t top_k,
                                         const std::filesystem::path& out);

}  // namespace recur
