#include "recur/search/search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "recur/ops/threads.h"
#include "recur/output_subset.h"
#include "row_picks.h"

namespace recur::search {

float length_penalty(std::int64_t length, float alpha) {
  if (alpha == 0.0f) return 1.0f;
  return std::pow((5.0f + static_cast<float>(length)) / 6.0f, alpha);
}

namespace detail {
std::int64_t check_step_output(const StepOutput& out, std::int64_t rows, std::int64_t vocab) {
  const Tensor& lp = out.log_probs;
  if (!lp.defined() || lp.dtype() != DType::f32 || lp.rank() != 2 || lp.dim(0) != rows ||
      lp.dim(1) < vocab) {
    throw ShapeError("decoder step returned log-probs " +
                     (lp.defined() ? shape_str(lp.shape()) : std::string("(undefined)")) +
                     ", expected f32 " + shape_str({rows, vocab}) +
                     " (or more columns: an extended vocabulary)");
  }
  return lp.dim(1);
}
OutputColumns::OutputColumns(std::int64_t vocab, const std::vector<std::int64_t>& ids)
    : vocab_(vocab), ids_(&ids), column_(static_cast<std::size_t>(vocab), -1) {
  for (std::size_t c = 0; c < ids.size(); ++c) column_[static_cast<std::size_t>(ids[c])] = static_cast<std::int32_t>(c);
}

std::int64_t OutputColumns::column(std::int64_t id) const {
  if (id < 0 || id >= vocab_) return -1;
  return ids_ ? column_[static_cast<std::size_t>(id)] : id;
}

std::unique_ptr<DecoderState> start(Decoder& decoder, const Memory& memory, std::int64_t rows,
                                    const OutputColumns& columns) {
  std::unique_ptr<DecoderState> state = decoder.init(memory, rows);
  if (columns.ids()) dynamic_cast<OutputSubset&>(decoder).restrict_output(*state, *columns.ids());
  return state;
}

const float* without_repeats(const float* row, const OutputColumns& columns,
                             const std::vector<std::int64_t>& ids, const Options& o,
                             std::vector<float>& scratch) {
  const std::int64_t vocab = columns.size();
  bool copied = false;
  auto ban = [&](std::int64_t id) {
    const std::int64_t c = columns.column(id);
    if (c < 0) return;  // not scored: nothing to ban
    if (!copied) {
      scratch.assign(row, row + vocab);
      copied = true;
    }
    scratch[static_cast<std::size_t>(c)] = -std::numeric_limits<float>::infinity();
  };
  for (std::int64_t id : o.suppress_ids) ban(id);
  const auto n = static_cast<std::size_t>(o.no_repeat_ngram);
  if (n == 0 || ids.size() + 1 < n) return copied ? scratch.data() : row;
  // Every earlier n-gram whose first n - 1 tokens equal the last n - 1 tokens bans its
  // last token (n = 1: every token so far).
  const std::size_t tail = ids.size() - (n - 1);
  for (std::size_t i = 0; i + n <= ids.size(); ++i) {
    if (std::equal(ids.begin() + static_cast<std::ptrdiff_t>(i),
                   ids.begin() + static_cast<std::ptrdiff_t>(i + n - 1),
                   ids.begin() + static_cast<std::ptrdiff_t>(tail))) {
      ban(ids[i + n - 1]);
    }
  }
  return copied ? scratch.data() : row;
}

float coverage_penalty(const std::vector<float>& coverage, float beta) {
  float total = 0;
  for (float c : coverage) total += std::log(std::max(std::min(c, 1.0f), kCoverageFloor));
  return beta * total;
}

// A decoder step over a few rows is a chain of small primitives, each of which pays a
// fork and join per extra thread for work that hardly splits (at batch 1 with 2 threads
// a matmul took 12.9 us instead of 7.4, a concat 14.9 instead of 2.3): search over at
// most kFewRows hypotheses runs on one compute thread, and the threads are restored after.
constexpr std::int64_t kFewRows = 8;

}  // namespace detail

std::vector<std::vector<Hypothesis>> decode(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows,
                                            const Options& options) {
  return decode(decoder, memory, rows, options, {});
}

std::vector<std::vector<Hypothesis>> decode(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows, const Options& options,
                                            const std::vector<std::int64_t>& output_ids) {
  if (auto problem = check(options)) {
    throw ConfigError("search." + problem->key + ": " + problem->message);
  }
  if (rows.empty()) return {};  // Decoder::init checks the memory against the rows
  const std::int64_t vocab = decoder.vocab_size();
  std::optional<detail::OutputColumns> restricted;
  if (!output_ids.empty() && supports_output_subset(decoder)) {
    check_output_subset(output_ids, vocab, "search");
    restricted.emplace(vocab, output_ids);
  }
  const detail::OutputColumns whole(vocab);
  const detail::OutputColumns& columns = restricted ? *restricted : whole;
  const std::int64_t hypotheses = static_cast<std::int64_t>(rows.size()) * (options.sampling ? 1 : options.beam_size);
  ops::ScopedNumThreads threads(hypotheses <= detail::kFewRows ? 1 : ops::num_threads());
  if (options.sampling) return detail::sample(decoder, memory, rows, options, columns);
  if (options.beam_size == 1) return detail::greedy(decoder, memory, rows, options, columns);
  return detail::beam(decoder, memory, rows, options, columns);
}

bool supports_output_subset(const Decoder& decoder) {
  const auto* subset = dynamic_cast<const OutputSubset*>(&decoder);
  return subset && subset->output_subset_supported();
}

}  // namespace recur::search
