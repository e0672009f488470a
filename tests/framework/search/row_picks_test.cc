// top_k (framework/src/search/row_picks.h): the k best of a row, best first, ties to the
// lower id, against a full sort, on rows with many ties and -inf, across the block size
// of its skipping scan.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "row_picks.h"

namespace recur::search::detail {
namespace {

std::vector<std::pair<float, std::int64_t>> sorted_best(const std::vector<float>& row, std::int64_t k) {
  std::vector<std::pair<float, std::int64_t>> all;
  for (std::size_t i = 0; i < row.size(); ++i) all.emplace_back(row[i], static_cast<std::int64_t>(i));
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  all.resize(std::min<std::size_t>(all.size(), static_cast<std::size_t>(k)));
  return all;
}

TEST(TopK, EqualsAFullSortWithTiesToTheLowerId) {
  std::mt19937 rng(3);
  for (std::int64_t v : {1, 5, 63, 64, 65, 127, 128, 129, 1000, 8000}) {
    for (std::int64_t k : {1, 2, 3, 10, 64}) {
      for (int trial = 0; trial < 5; ++trial) {
        std::vector<float> row(static_cast<std::size_t>(v));
        // Few distinct values (many ties), some -inf (suppressed ids), rising or falling.
        std::uniform_int_distribution<int> level(0, trial == 0 ? 3 : 40);
        for (std::int64_t i = 0; i < v; ++i) {
          float x = -0.25f * static_cast<float>(level(rng));
          if (trial == 2) x += 1e-4f * static_cast<float>(i);  // best values late in the row
          if (trial == 3) x -= 1e-4f * static_cast<float>(i);  // best values early
          if (level(rng) == 0) x = -std::numeric_limits<float>::infinity();
          row[static_cast<std::size_t>(i)] = x;
        }
        EXPECT_EQ(top_k(row.data(), v, k), sorted_best(row, k)) << "v " << v << " k " << k << " trial " << trial;
      }
    }
  }
}

}  // namespace
}  // namespace recur::search::detail
