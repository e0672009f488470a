// Writes one JSON line per input line for `--attention FILE.jsonl`:
// {"line": 3, "source": ["▁Hello", "</s>"], "target": ["▁Bonjour", "</s>"],
//  "attention": [[0.9, 0.1], [0.2, 0.8]]}  (one row per target token, one column per
// source token). A blank input line gives empty lists.
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "recur/search/search.h"
#include "recur/tokenizer.h"

namespace recur::tasks {

// `source` and `target` are the pieces of the source ids and of the best hypothesis's ids
// (copied OOV words as written); `source_length` bounds each attention row.
void write_attention_json(std::ostream& out, std::uint64_t line, const std::vector<std::string>& source,
                          std::size_t source_length, const search::Hypothesis* best,
                          std::vector<std::string> target);

}  // namespace recur::tasks
