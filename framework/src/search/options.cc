#include "recur/search/options.h"

#include <cmath>
#include <sstream>

#include "recur/config/section.h"

namespace recur::search {

namespace {

template <class T>
std::string str(T v) {
  std::ostringstream out;  // 0.5, 1e-10, inf: as short as the value allows
  out << v;
  return out.str();
}

template <class T>
std::string got(T v) {
  return ", got " + str(v);
}

}  // namespace

std::optional<OptionProblem> check(const Options& o) {
  if (o.beam_size < 1 || o.beam_size > kMaxBeamSize) {
    return OptionProblem{"beam_size", "expected an integer from 1 to " + str(kMaxBeamSize) +
                                          " (the maximum beam size)" + got(o.beam_size)};
  }
  if (o.n_best < 1 || o.n_best > o.beam_size) {
    return OptionProblem{"n_best", "expected an integer from 1 to the beam size (" +
                                       str(o.beam_size) + ")" + got(o.n_best)};
  }
  if (!(o.length_penalty >= 0) || !std::isfinite(o.length_penalty)) {
    return OptionProblem{"length_penalty", "expected a number >= 0" + got(o.length_penalty)};
  }
  if (!(o.max_length_a >= 0) || !std::isfinite(o.max_length_a)) {
    return OptionProblem{"max_length_a", "expected a number >= 0" + got(o.max_length_a)};
  }
  if (o.max_length_b < 0) {
    return OptionProblem{"max_length_b", "expected an integer >= 0" + got(o.max_length_b)};
  }
  if (o.max_length_cap < 1) {
    return OptionProblem{"max_length_cap", "expected a positive integer" + got(o.max_length_cap)};
  }
  if (o.sampling && o.beam_size != 1) {
    return OptionProblem{"sampling", "sampling needs a beam size of 1, got " + str(o.beam_size)};
  }
  if (!(o.temperature > 0) || !std::isfinite(o.temperature)) {
    return OptionProblem{"temperature", "expected a number > 0" + got(o.temperature)};
  }
  if (o.top_k < 0) {
    return OptionProblem{"top_k", "expected an integer >= 0 (0: the whole vocabulary)" + got(o.top_k)};
  }
  if (!(o.top_p > 0 && o.top_p <= 1)) {
    return OptionProblem{"top_p", "expected a number in (0, 1] (1: no nucleus cut)" + got(o.top_p)};
  }
  if (o.no_repeat_ngram < 0) {
    return OptionProblem{"no_repeat_ngram",
                         "expected an integer >= 0 (0: off)" + got(o.no_repeat_ngram)};
  }
  if (!(o.coverage_penalty >= 0) || !std::isfinite(o.coverage_penalty)) {
    return OptionProblem{"coverage_penalty",
                         "expected a number >= 0 (0: off)" + got(o.coverage_penalty)};
  }
  if (!o.stop_at_eos && o.beam_size != 1) {
    return OptionProblem{"beam_size", "a language model's generation (eos is a line break, not the end) is "
                                      "greedy or sampled: needs a beam size of 1, got " + str(o.beam_size)};
  }
  return std::nullopt;
}

Options parse_options(const config::Section& s, Options o) {
  // Types only here; every rule on the values is check()'s.
  o.beam_size = s.get<std::int64_t>("beam_size", o.beam_size);
  o.n_best = s.get<std::int64_t>("n_best", o.n_best);
  o.length_penalty = static_cast<float>(s.get<double>("length_penalty", o.length_penalty));
  o.max_length_a = static_cast<float>(s.get<double>("max_length_a", o.max_length_a));
  o.max_length_b = s.get<std::int64_t>("max_length_b", o.max_length_b);
  o.max_length_cap = s.get<std::int64_t>("max_length_cap", o.max_length_cap);
  o.sampling = s.get<bool>("sampling", o.sampling);
  o.temperature = static_cast<float>(s.get<double>("temperature", o.temperature));
  o.top_k = s.get<std::int64_t>("top_k", o.top_k);
  o.top_p = static_cast<float>(s.get<double>("top_p", o.top_p));
  o.no_repeat_ngram = s.get<std::int64_t>("no_repeat_ngram", o.no_repeat_ngram);
  o.coverage_penalty = static_cast<float>(s.get<double>("coverage_penalty", o.coverage_penalty));
  // The seed is unsigned: a negative one is a type error, not a rule of check().
  o.seed = static_cast<std::uint64_t>(
      s.non_negative<std::int64_t>("seed", static_cast<std::int64_t>(o.seed)));
  s.finish();
  if (auto problem = check(o)) s.fail(problem->key, problem->message);
  return o;
}

}  // namespace recur::search
