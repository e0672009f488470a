// Batch translation of a text stream: read a maxi-batch of lines, tokenize, sort by
// length into mini-batches within a token budget, encode, search, detokenize, restore
// input order, write. Output line i always answers input line i: an empty or
// whitespace-only line gives an empty line without running the model.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>

#include "recur/data/batching.h"
#include "recur/pipeline/pipeline.h"

namespace recur {

struct TranslateOptions {
  std::size_t maxi_batch_lines = 1000;
  data::BatchLimits batch{4096, 128};
  // Mini-batches translated at once, each on its own thread, with the compute threads
  // (ops::num_threads()) shared out among them (CTranslate2's inter_threads). Small
  // decoder steps use several cores poorly; separate batches use them fully.
  int workers = 1;
  bool strict = false;        // invalid UTF-8 is an error naming the line
  bool scores = false;        // append " ||| score"
  std::ostream* attention = nullptr;  // JSON lines: source/target pieces + matrix
  // Called after each maxi-batch with the lines done so far.
  std::function<void(std::uint64_t lines_done)> on_progress;
};

struct TranslateStats {
  std::uint64_t lines = 0;
  std::uint64_t empty_lines = 0;
  std::uint64_t invalid_utf8_lines = 0;
  std::uint64_t cropped_lines = 0;
  std::uint64_t source_tokens = 0;
  std::uint64_t target_tokens = 0;
  double seconds = 0;
  std::uint64_t warnings() const { return invalid_utf8_lines + cropped_lines; }
};

// Translates `in` to `out`. With n_best > 1 (in the pipeline's search options) each
// input line gives n lines "i ||| hypothesis ||| score" (i 0-based), Moses style.
TranslateStats translate_stream(Pipeline& pipeline, std::istream& in, const std::string& in_name,
                                std::ostream& out, const TranslateOptions& options);

}  // namespace recur
