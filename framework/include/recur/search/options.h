// Search settings: one definition, one set of defaults, one validation. The YAML
// `search:` section (parse_options) and the command-line flags (the CLI sets fields, then
// calls check()) go through the same rules, so `--beam 0` and `search.beam_size: 0` are
// refused for the same reason, each naming its own source.
//
// YAML keys under `search:` (all optional; the field of the same name below):
//   beam_size: 5          # 1 = greedy; at most kMaxBeamSize
//   n_best: 1             # hypotheses returned per row, 1..beam_size
//   length_penalty: 0.6   # GNMT alpha, >= 0 (0 disables)
//   max_length_a: 1.5     # max output length = a * source length + b, capped
//   max_length_b: 10
//   max_length_cap: 512
//   sampling: false       # sample (temperature, top_k, top_p, seed) instead of searching;
//                         # needs beam_size: 1
//   temperature: 1.0      # > 0
//   top_k: 0              # sample among the k most likely tokens; 0 = all
//   top_p: 1.0            # nucleus: among the fewest most likely tokens whose probability
//                         # reaches p, in (0, 1]; 1 = all
//   seed: 1               # sampling stream, mixed with each row's key
//   no_repeat_ngram: 0    # a hypothesis never repeats an n-gram of N chosen tokens (greedy,
//                         # beam, sampling); 0 = off, 1 = no token twice
//   coverage_penalty: 0.0 # GNMT beta >= 0: beam search adds beta * sum_i log(min(sum_t a_t,i,
//                         # 1)) over the source's real positions to finished scores (needs
//                         # the decoder's attention; coverage floored at kCoverageFloor)
// A translation or summarization pipeline may also have `shortlist: {file: ..., top_k,
// frequent, enabled}` here, a vocabulary shortlist the seq2seq task reads before calling
// parse_options (pipeline/shortlist_file.h); for any other task it is an unknown key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "recur/config/option_problem.h"

namespace recur::config {
class Section;
}

namespace recur::search {

// The largest beam accepted. Each hypothesis row holds a decoder state and a row of
// V log-probs per step: `--beam 100000` took 8 GB before this bound (issue #18).
inline constexpr std::int64_t kMaxBeamSize = 128;

// log(min(coverage, 1)) of a source position is taken at least at this coverage, so a
// position never attended costs a finite penalty.
inline constexpr float kCoverageFloor = 1e-6f;

struct Options {
  std::int64_t beam_size = 5;
  std::int64_t n_best = 1;
  float length_penalty = 0.6f;
  float max_length_a = 1.5f;
  std::int64_t max_length_b = 10;
  std::int64_t max_length_cap = 512;
  bool sampling = false;
  float temperature = 1.0f;
  std::int64_t top_k = 0;
  float top_p = 1.0f;
  std::uint64_t seed = 1;
  std::int64_t no_repeat_ngram = 0;
  float coverage_penalty = 0.0f;
  // Not settings of a pipeline: set by the program.
  bool return_attention = false;  // fill Hypothesis::attention
  std::int64_t bos_id = 1;
  std::int64_t eos_id = 2;
  // false: eos is a token like any other (a language model's line break) and rows run to
  // their length limit; greedy and sampling only (check()).
  bool stop_at_eos = true;
  // Tokens never chosen (a language model's pad, bos and unk: not text).
  std::vector<std::int64_t> suppress_ids;
  // Called by greedy search and sampling for every token chosen (not for a prefix), in
  // order per row: (row of the batch, token id); streaming output.
  std::function<void(std::size_t row, std::int64_t token)> on_token;
};

// What is wrong with a set of options: `key` is the YAML key under `search:` (e.g.
// "beam_size"); `message` says what was expected and what was found, without the key.
using config::OptionProblem;

// The one validation of Options; nullopt if they are usable.
std::optional<OptionProblem> check(const Options& options);

// Parses a `search:` section over `base`, then check(); a problem is section.fail(key,
// message) (a ConfigError naming file:line and the key path). Unknown keys are errors.
Options parse_options(const config::Section& section, Options base);

}  // namespace recur::search
