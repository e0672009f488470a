#include "recur/search/options.h"

#include <string>

namespace recur::search {

std::optional<OptionProblem> check(const Options& o) {
  if (o.beam_size < 1 || o.beam_size > kMaxBeamSize) {
    return OptionProblem{"beam_size", "expected an integer in [1, " + std::to_string(kMaxBeamSize) +
                                          "], got " + std::to_string(o.beam_size)};
  }
  if (o.n_best < 1 || o.n_best > o.beam_size) {
    return OptionProblem{"n_best", "expected an integer in [1, beam size " + std::to_string(o.beam_size) +
                                       "], got " + std::to_string(o.n_best)};
  }
  if (o.sampling && o.beam_size != 1) return OptionProblem{"sampling", "sampling needs beam size 1"};
  if (!(o.temperature > 0)) return OptionProblem{"temperature", "expected a positive number"};
  if (o.top_k < 0) return OptionProblem{"top_k", "expected a non-negative integer"};
  if (o.max_length_cap < 1) return OptionProblem{"max_length_cap", "expected a positive integer"};
  return std::nullopt;
}

Options parse_options(const config::Section& s, Options o) {
  o.beam_size = s.get<std::int64_t>("beam_size", o.beam_size);
  o.n_best = s.get<std::int64_t>("n_best", o.n_best);
  o.length_penalty = static_cast<float>(s.non_negative<double>("length_penalty", o.length_penalty));
  o.max_length_a = static_cast<float>(s.non_negative<double>("max_length_a", o.max_length_a));
  o.max_length_b = s.non_negative<std::int64_t>("max_length_b", o.max_length_b);
  o.max_length_cap = s.get<std::int64_t>("max_length_cap", o.max_length_cap);
  o.sampling = s.get<bool>("sampling", o.sampling);
  o.top_k = s.get<std::int64_t>("top_k", o.top_k);
  o.temperature = static_cast<float>(s.get<double>("temperature", o.temperature));
  o.seed = static_cast<std::uint64_t>(s.non_negative<std::int64_t>("seed", static_cast<std::int64_t>(o.seed)));
  if (auto p = check(o)) s.fail(p->key, p->message);
  s.finish();
  return o;
}

}  // namespace recur::search
