// How confident a decoder was at each step of a chosen output: the k most likely next
// tokens and their probabilities, for `--confidence FILE.jsonl` and `recur plot
// confidence`. Computed after search by one teacher-forcing pass over what search chose
// (Decoder::forward agrees exactly with step()), so search itself is untouched and costs
// nothing when nobody asks. The probabilities are the model's own distribution: before a
// sampling temperature, top-k / top-p cuts, banned n-grams or suppressed ids.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/decoder.h"
#include "recur/encoder.h"

namespace recur::search {

struct Candidate {
  std::int64_t id = 0;
  float probability = 0;
};

// One row's steps: for each position of `prefix` + `chosen` + eos after the prefix, the k
// most likely tokens, best first (ties to the lower id).
using StepCandidates = std::vector<std::vector<Candidate>>;

// Row b of the batch fed bos, prefixes[b] (a prompt: not reported), then chosen[b]; the
// result's row b has chosen[b].size() + 1 steps: the step that chose each token, then the
// step after the last one (where eos ends the output). `memory` is the one search
// decoded against (empty for a language model). k in [1, vocab].
std::vector<StepCandidates> next_token_candidates(Decoder& decoder, const Memory& memory,
                                                  const std::vector<std::vector<std::int64_t>>& prefixes,
                                                  const std::vector<std::vector<std::int64_t>>& chosen,
                                                  std::int64_t bos_id, std::int64_t k);

}  // namespace recur::search
