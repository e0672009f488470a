#include "recur/search/search.h"

#include <cmath>
#include <string>

#include "row_picks.h"

namespace recur::search {

float length_penalty(std::int64_t length, float alpha) {
  if (alpha == 0.0f) return 1.0f;
  return std::pow((5.0f + static_cast<float>(length)) / 6.0f, alpha);
}

namespace detail {
void check_step_output(const StepOutput& out, std::int64_t rows, std::int64_t vocab) {
  if (!out.log_probs.defined() || out.log_probs.shape() != Shape{rows, vocab} ||
      out.log_probs.dtype() != DType::f32) {
    throw ShapeError("decoder step returned log-probs " +
                     (out.log_probs.defined() ? shape_str(out.log_probs.shape())
                                              : std::string("(undefined)")) +
                     ", expected f32 " + shape_str({rows, vocab}));
  }
}
}  // namespace detail

std::vector<std::vector<Hypothesis>> decode(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows,
                                            const Options& options) {
  if (auto problem = check(options)) {
    throw ConfigError("search." + problem->key + ": " + problem->message);
  }
  if (rows.empty()) return {};  // Decoder::init checks the memory against the rows
  if (options.sampling) return detail::sample(decoder, memory, rows, options);
  if (options.beam_size == 1) return detail::greedy(decoder, memory, rows, options);
  return detail::beam(decoder, memory, rows, options);
}

}  // namespace recur::search
