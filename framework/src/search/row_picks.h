// Helpers shared by the search strategies (private to src/search).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/search/search.h"

namespace recur::search::detail {

// Maximum number of output tokens (without eos) for a source of this length.
inline std::int64_t max_output_length(const Options& o, std::int64_t source_length) {
  double n = std::floor(o.max_length_a * static_cast<double>(source_length)) +
             static_cast<double>(o.max_length_b);
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(n), 1, std::max<std::int64_t>(1, o.max_length_cap));
}

// The k best (log-prob, id) of one row of V log-probs, best first; ties go to the lower
// id so results are deterministic.
inline std::vector<std::pair<float, std::int64_t>> top_k(const float* row, std::int64_t v,
                                                         std::int64_t k) {
  std::vector<std::pair<float, std::int64_t>> all;
  all.reserve(static_cast<std::size_t>(v));
  for (std::int64_t i = 0; i < v; ++i) all.emplace_back(row[i], i);
  k = std::min(k, v);
  auto better = [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  std::partial_sort(all.begin(), all.begin() + k, all.end(), better);
  all.resize(static_cast<std::size_t>(k));
  return all;
}

// Row r of an attention tensor [N, S] as a vector (empty if undefined).
inline std::vector<float> attention_row(const Tensor& attention, std::int64_t r) {
  if (!attention.defined()) return {};
  std::int64_t s = attention.dim(1);
  const float* p = attention.data<float>() + r * s;
  return std::vector<float>(p, p + s);
}

void check_step_output(const StepOutput& out, std::int64_t rows, std::int64_t vocab);

std::vector<std::vector<Hypothesis>> greedy(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows, const Options& o);
std::vector<std::vector<Hypothesis>> beam(Decoder& decoder, const Memory& memory,
                                          const std::vector<Row>& rows, const Options& o);

}  // namespace recur::search::detail
