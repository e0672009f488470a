// Writes one JSON line per input line for `--confidence FILE.jsonl` (any generating task:
// translation, summarization, captioning, line completion), in input order like the
// attention file:
//   {"line": 3, "tokens": ["▁Bonjour", "</s>"],
//    "top_k": [[["▁Bonjour", 0.91], ["▁Salut", 0.04]], [["</s>", 0.97], ["▁!", 0.01]]]}
// tokens[s] is the piece chosen at step s (the last is eos: where the line ends);
// top_k[s] the k most likely pieces at that step with their probabilities, best first
// (search/confidence.h). A blank input line gives empty lists.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "recur/search/confidence.h"
#include "recur/tokenizer.h"

namespace recur {

void write_confidence_json(std::ostream& out, std::uint64_t line, const std::vector<std::int64_t>& chosen,
                           const search::StepCandidates& steps, const Tokenizer& target);

// The same, with the pieces of ids given by `pieces` instead of a tokenizer (ids beyond
// the vocabulary, such as copy attention's extended ids, written as their words).
using PiecesOf = std::function<std::vector<std::string>(const std::vector<std::int64_t>&)>;
void write_confidence_json(std::ostream& out, std::uint64_t line, const std::vector<std::int64_t>& chosen,
                           const search::StepCandidates& steps, std::int64_t eos_id, const PiecesOf& pieces);

}  // namespace recur
