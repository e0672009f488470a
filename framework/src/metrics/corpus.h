// Walks a corpus of hypotheses with one or more reference streams (private to metrics).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "recur/core/error.h"

namespace recur::metrics::detail {

// The non-empty references of one segment; none is an Error.
std::vector<std::string_view> usable_references(const std::vector<std::string_view>& references);

// Calls f(hypothesis, references_of_segment) for each segment; errors name the metric
// and the 1-based segment number.
template <class F>
void for_each_segment(const char* metric, const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references, F&& f) {
  if (references.empty()) throw Error(std::string(metric) + ": no reference stream");
  for (std::size_t k = 0; k < references.size(); ++k) {
    if (references[k].size() != hypotheses.size()) {
      throw Error(std::string(metric) + ": reference stream " + std::to_string(k + 1) + " has " +
                  std::to_string(references[k].size()) + " lines, the hypotheses " +
                  std::to_string(hypotheses.size()));
    }
  }
  std::vector<std::string_view> refs(references.size());
  for (std::size_t i = 0; i < hypotheses.size(); ++i) {
    for (std::size_t k = 0; k < references.size(); ++k) refs[k] = references[k][i];
    try {
      f(std::string_view(hypotheses[i]), refs);
    } catch (const Error& e) {
      throw Error(std::string(metric) + ": segment " + std::to_string(i + 1) + ": " + e.what());
    }
  }
}

}  // namespace recur::metrics::detail
