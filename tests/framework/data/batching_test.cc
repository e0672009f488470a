#include "recur/data/batching.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "recur/core/steady_shapes.h"

namespace recur::data {
namespace {

TEST(Batching, RespectsBudgetAndCoversEveryNonEmptyItemOnce) {
  std::vector<std::int64_t> lengths{5, 0, 12, 3, 7, 7, 1, 30, 2, 9};
  BatchLimits limits{24, 3};
  auto batches = make_batches(lengths, limits);
  std::vector<std::size_t> seen;
  for (const auto& b : batches) {
    std::int64_t longest = 0;
    for (std::size_t p : b) longest = std::max(longest, lengths[p]);
    if (b.size() > 1) {
      EXPECT_LE(static_cast<std::int64_t>(b.size()) * longest, limits.max_tokens);
    }
    EXPECT_LE(static_cast<std::int64_t>(b.size()), limits.max_rows);
    for (std::size_t i = 1; i < b.size(); ++i) EXPECT_GE(lengths[b[i - 1]], lengths[b[i]]);
    seen.insert(seen.end(), b.begin(), b.end());
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(Batching, OverlongItemGetsItsOwnBatch) {
  auto batches = make_batches({100, 1, 1}, BatchLimits{10, 8});
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0], (std::vector<std::size_t>{0}));
  EXPECT_EQ(batches[1], (std::vector<std::size_t>{1, 2}));
}

TEST(Batching, TiesKeepInputOrder) {
  auto batches = make_batches({4, 4, 4}, BatchLimits{100, 8});
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0], (std::vector<std::size_t>{0, 1, 2}));
}

TEST(Batching, SteadyBatchesComeInSteadySizesWithinTheLimits) {
  // 300 lengths in [1, 60]: cut by the token budget at row counts like 68 or 101.
  std::vector<std::int64_t> lengths;
  for (std::int64_t i = 0; i < 300; ++i) lengths.push_back(1 + (i * 37) % 60);
  for (const BatchLimits& plain : {BatchLimits{4096, 128}, BatchLimits{1000, 100}, BatchLimits{64, 16}}) {
    BatchLimits limits = plain;
    limits.steady = true;
    const auto batches = make_batches(lengths, limits);
    std::vector<std::size_t> seen;
    for (std::size_t k = 0; k < batches.size(); ++k) {
      const auto& b = batches[k];
      const auto rows = static_cast<std::int64_t>(b.size());
      EXPECT_EQ(steady_rows(rows), rows) << "batch " << k;
      EXPECT_LE(rows * lengths[b.front()], limits.max_tokens);
      EXPECT_LE(rows, limits.max_rows);
      for (std::size_t i = 1; i < b.size(); ++i) EXPECT_GE(lengths[b[i - 1]], lengths[b[i]]);
      seen.insert(seen.end(), b.begin(), b.end());
    }
    // Every item once, in the same order as the plain cut (only the cut points move).
    std::vector<std::size_t> in_order;
    for (const auto& b : make_batches(lengths, plain)) in_order.insert(in_order.end(), b.begin(), b.end());
    EXPECT_EQ(seen, in_order);
    EXPECT_GT(make_batches(lengths, plain).size(), 1u);
  }
}

// An epoch's batches: every item once, within the budget, the same for the same seed and
// epoch (a resumed run), different for another epoch.
TEST(Batching, EpochBatchesAreASeededPermutationOfTheBatches) {
  std::vector<std::int64_t> lengths;
  for (int i = 0; i < 50; ++i) lengths.push_back(1 + (i * 7) % 13);
  const BatchLimits limits{40, 8};
  const auto a = epoch_batches(lengths, limits, 3, 0);
  EXPECT_EQ(a, epoch_batches(lengths, limits, 3, 0));
  EXPECT_NE(a, epoch_batches(lengths, limits, 3, 1));
  std::vector<int> seen(lengths.size(), 0);
  for (const auto& b : a) {
    std::int64_t longest = 0;
    for (std::size_t i : b) {
      ++seen[i];
      longest = std::max(longest, lengths[i]);
    }
    EXPECT_LE(static_cast<std::int64_t>(b.size()), limits.max_rows);
    EXPECT_LE(longest * static_cast<std::int64_t>(b.size()), limits.max_tokens);
  }
  for (int n : seen) EXPECT_EQ(n, 1);
}

}  // namespace
}  // namespace recur::data
