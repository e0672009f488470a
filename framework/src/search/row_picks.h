// Helpers shared by the search strategies (private to src/search).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
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
// id so results are deterministic. Beam and greedy search ask for a few of thousands:
// one pass keeps the best k so far in order, without copying the row.
inline std::vector<std::pair<float, std::int64_t>> top_k(const float* row, std::int64_t v,
                                                         std::int64_t k) {
  k = std::min(k, v);
  auto better = [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  std::vector<std::pair<float, std::int64_t>> best;
  if (k <= 0) return best;
  if (k > 64) {  // sampling from a large top-k: sort a copy
    best.reserve(static_cast<std::size_t>(v));
    for (std::int64_t i = 0; i < v; ++i) best.emplace_back(row[i], i);
    std::partial_sort(best.begin(), best.begin() + k, best.end(), better);
    best.resize(static_cast<std::size_t>(k));
    return best;
  }
  best.reserve(static_cast<std::size_t>(k) + 1);
  // Ids come in increasing order, so an equal value never displaces a kept one.
  auto keep = [&](std::int64_t i) {
    std::pair<float, std::int64_t> c(row[i], i);
    best.insert(std::upper_bound(best.begin(), best.end(), c, better), c);
    if (static_cast<std::int64_t>(best.size()) > k) best.pop_back();
  };
  std::int64_t i = 0;
  for (; i < v && static_cast<std::int64_t>(best.size()) < k; ++i) keep(i);
  // Once k are kept, few values beat the k-th best: a block in which none does is
  // skipped after one branch-free (vectorised) comparison of all its values.
  constexpr int kBlock = 64;
  while (i < v) {
    const std::int64_t end = std::min(v, i + kBlock);
    if (end - i == kBlock) {
      const float kth = best.back().first;
      const float* block = row + i;
      int above = 0;
      for (int j = 0; j < kBlock; ++j) above += block[j] > kth ? 1 : 0;
      if (above == 0) {
        i = end;
        continue;
      }
    }
    for (; i < end; ++i) {
      if (row[i] > best.back().first) keep(i);
    }
  }
  return best;
}

// Row r of an attention tensor [N, S] as a vector (empty if undefined).
inline std::vector<float> attention_row(const Tensor& attention, std::int64_t r) {
  if (!attention.defined()) return {};
  std::int64_t s = attention.dim(1);
  const float* p = attention.data<float>() + r * s;
  return std::vector<float>(p, p + s);
}

// Checks the log-probs of a step: f32 [rows, W] with W >= vocab (W > vocab: a copying
// decoder's extended vocabulary, source words outside the vocabulary); returns W.
std::int64_t check_step_output(const StepOutput& out, std::int64_t rows, std::int64_t vocab);

// The columns of a step's log-probs: the whole vocabulary (column c is id c), or the
// sorted ids a decoder restricted its output to (recur/output_subset.h), column c being
// ids[c]. Search picks columns and keeps ids.
class OutputColumns {
 public:
  explicit OutputColumns(std::int64_t vocab) : vocab_(vocab) {}
  // `ids` (checked by check_output_subset) must outlive this object.
  OutputColumns(std::int64_t vocab, const std::vector<std::int64_t>& ids);

  std::int64_t size() const { return ids_ ? static_cast<std::int64_t>(ids_->size()) : vocab_; }
  std::int64_t id(std::int64_t column) const {
    return ids_ ? (*ids_)[static_cast<std::size_t>(column)] : column;
  }
  // The column of an id; -1 when it is out of range or not scored.
  std::int64_t column(std::int64_t id) const;
  // The restriction, null for the whole vocabulary.
  const std::vector<std::int64_t>* ids() const { return ids_; }

 private:
  std::int64_t vocab_;
  const std::vector<std::int64_t>* ids_ = nullptr;
  std::vector<std::int32_t> column_;  // per id (restricted only)
};

// decoder.init() for `rows` rows, then the decoder's output restricted to columns.ids()
// when there is a restriction (the decoder is an OutputSubset: decode() checked it).
std::unique_ptr<DecoderState> start(Decoder& decoder, const Memory& memory, std::int64_t rows,
                                    const OutputColumns& columns);

// A row of log-probs over `columns` with o.suppress_ids and the tokens that would repeat
// an n-gram of `ids` (n = o.no_repeat_ngram; 0: none) at -inf: `row` itself when nothing
// is banned, else a copy in `scratch`.
const float* without_repeats(const float* row, const OutputColumns& columns,
                             const std::vector<std::int64_t>& ids, const Options& o,
                             std::vector<float>& scratch);

// GNMT's coverage penalty beta * sum_i log(max(min(coverage_i, 1), kCoverageFloor)).
float coverage_penalty(const std::vector<float>& coverage, float beta);

// How a strategy with one hypothesis per row chooses a row's next token from its
// log-probs over `vocab` columns (greedy: the best; sampling: a draw); returns a column.
// `row` is the row's index in the batch.
class TokenPick {
 public:
  virtual ~TokenPick() = default;
  virtual std::int64_t pick(std::size_t row, const float* log_probs, std::int64_t vocab) = 0;
};

// One hypothesis per row, each row's prefix forced first; rows leave the batch as they
// finish. The loop greedy search and sampling share.
std::vector<std::vector<Hypothesis>> one_per_row(Decoder& decoder, const Memory& memory,
                                                 const std::vector<Row>& rows, const Options& o,
                                                 const OutputColumns& columns, TokenPick& pick);

std::vector<std::vector<Hypothesis>> greedy(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows, const Options& o,
                                            const OutputColumns& columns);
std::vector<std::vector<Hypothesis>> sample(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows, const Options& o,
                                            const OutputColumns& columns);
std::vector<std::vector<Hypothesis>> beam(Decoder& decoder, const Memory& memory,
                                          const std::vector<Row>& rows, const Options& o,
                                          const OutputColumns& columns);

}  // namespace recur::search::detail
