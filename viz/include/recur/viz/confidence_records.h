// Reads the confidence JSONL written by `--confidence FILE` (translation, summarization,
// captioning, line completion): {"line", "tokens": [chosen piece per step, the last is
// eos], "top_k": [[[piece, probability] x k] per step]} (recur/pipeline/confidence_json.h).
// Every record is checked; an error names FILE:LINE and the field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace recur::viz {

struct TokenCandidate {
  std::string piece;
  float probability = 0;
};

struct TokenConfidence {
  std::uint64_t line = 0;               // the input line the record answers
  std::vector<std::string> tokens;      // chosen piece per step
  std::vector<std::vector<TokenCandidate>> top_k;  // tokens.size() rows, best first
};

// The records answering `lines` in that order (every record when `lines` is empty). A line
// with no record is an error listing the lines the file covers.
std::vector<TokenConfidence> read_confidence(const std::filesystem::path& file,
                                             const std::vector<std::uint64_t>& lines);

}  // namespace recur::viz
