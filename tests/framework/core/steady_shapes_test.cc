// The steady sizes inference rounds rows and source positions up to.
#include "recur/core/steady_shapes.h"

#include <gtest/gtest.h>

#include <vector>

namespace recur {
namespace {

TEST(SteadyRows, PadsToFewSizesAndNeverShrinks) {
  EXPECT_EQ(steady_rows(1), 1);
  EXPECT_EQ(steady_rows(8), 8);
  EXPECT_EQ(steady_rows(9), 16);
  EXPECT_EQ(steady_rows(64), 64);
  EXPECT_EQ(steady_rows(65), 80);
  EXPECT_EQ(steady_rows(257), 320);
  std::vector<std::int64_t> sizes;
  for (std::int64_t n = 1; n <= 1024; ++n) {
    if (sizes.empty() || sizes.back() != steady_rows(n)) sizes.push_back(steady_rows(n));
  }
  EXPECT_EQ(sizes.size(), 39u);
  for (std::int64_t n = 1; n < 2000; ++n) {
    const std::int64_t r = steady_rows(n);
    ASSERT_GE(r, n);
    ASSERT_LE(r, steady_rows(n + 1));
    if (n > 64) {
      ASSERT_LT(4 * (r - n), n) << n;
    }
  }
}

TEST(SteadyRows, AtMostIsTheLargestSteadySizeNotAbove) {
  EXPECT_EQ(steady_rows_at_most(1), 1);
  EXPECT_EQ(steady_rows_at_most(8), 8);
  EXPECT_EQ(steady_rows_at_most(15), 8);
  EXPECT_EQ(steady_rows_at_most(101), 96);
  for (std::int64_t n = 1; n < 1200; ++n) {
    const std::int64_t r = steady_rows_at_most(n);
    ASSERT_LE(r, n);
    ASSERT_EQ(steady_rows(r), r) << n;
    ASSERT_GT(steady_rows(n + 1), n) << n;  // no steady size in (r, n]
    if (steady_rows(n) == n) ASSERT_EQ(r, n);
  }
}

TEST(SteadyPositions, RoundsUpToMultiplesOfEight) {
  EXPECT_EQ(steady_positions(0), 0);
  EXPECT_EQ(steady_positions(1), 8);
  EXPECT_EQ(steady_positions(8), 8);
  EXPECT_EQ(steady_positions(9), 16);
  EXPECT_EQ(steady_positions(197), 200);
  std::vector<std::int64_t> sizes;
  for (std::int64_t n = 1; n <= 200; ++n) {
    const std::int64_t p = steady_positions(n);
    ASSERT_GE(p, n);
    ASSERT_LT(p - n, 8);
    if (sizes.empty() || sizes.back() != p) sizes.push_back(p);
  }
  EXPECT_EQ(sizes.size(), 25u);
}

}  // namespace
}  // namespace recur
