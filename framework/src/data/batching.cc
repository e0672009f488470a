#include "recur/data/batching.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "recur/core/error.h"
#include "recur/core/steady_shapes.h"

namespace recur::data {

std::vector<std::vector<std::size_t>> make_batches(const std::vector<std::int64_t>& lengths,
                                                   const BatchLimits& limits) {
  if (limits.max_tokens < 1 || limits.max_rows < 1) {
    throw Error("batching: max_tokens and max_rows must be positive");
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] > 0) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return lengths[a] > lengths[b]; });

  std::vector<std::vector<std::size_t>> batches;
  std::vector<std::size_t> current;
  // Closes a batch of `current`'s rows: all of them, or in a steady cut the largest
  // steady count; rows [keep, n) stay for the next batch.
  auto close_batch = [&] {
    const auto n = static_cast<std::ptrdiff_t>(current.size());
    const std::ptrdiff_t keep = limits.steady ? steady_rows_at_most(n) : n;
    batches.emplace_back(current.begin(), current.begin() + keep);
    current.erase(current.begin(), current.begin() + keep);
  };
  std::int64_t longest = 0;
  for (std::size_t pos : order) {
    std::int64_t len = lengths[pos];
    std::int64_t rows = static_cast<std::int64_t>(current.size()) + 1;
    std::int64_t width = std::max(longest, len);
    if (!current.empty() && (rows * width > limits.max_tokens || rows > limits.max_rows)) {
      // The rows left over are within the limits: fewer and no longer than the batch
      // they leave.
      close_batch();
      longest = current.empty() ? 0 : lengths[current.front()];
      width = std::max(longest, len);
    }
    current.push_back(pos);
    longest = width;
  }
  // The rest: one batch, or (steady) batches of the largest steady sizes it holds: a job
  // met a new row count with the last batch of almost every maxi-batch.
  while (!current.empty()) close_batch();
  return batches;
}

std::vector<std::vector<std::size_t>> epoch_batches(const std::vector<std::int64_t>& lengths,
                                                    const BatchLimits& limits, std::uint64_t seed,
                                                    std::int64_t epoch) {
  std::mt19937_64 rng(seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
  std::vector<std::size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::int64_t> shuffled(lengths.size());
  for (std::size_t k = 0; k < order.size(); ++k) shuffled[k] = lengths[order[k]];
  std::vector<std::vector<std::size_t>> batches = make_batches(shuffled, limits);
  for (auto& b : batches) {
    for (std::size_t& pos : b) pos = order[pos];
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

}  // namespace recur::data
