#include "recur/data/scaler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "recur/core/error.h"

namespace recur::data {
namespace {

TEST(Scaler, StandardMinMaxAndLogByHand) {
  const std::vector<double> x{1, 2, 3, 4};  // mean 2.5, population std sqrt(1.25)
  const Scaler s = Scaler::fit(ScalerKind::standard, x, "x");
  EXPECT_DOUBLE_EQ(s.shift(), 2.5);
  EXPECT_DOUBLE_EQ(s.scale(), std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(s.apply(4), 1.5 / std::sqrt(1.25));
  const Scaler m = Scaler::fit(ScalerKind::min_max, x, "x");
  EXPECT_DOUBLE_EQ(m.apply(1), 0.0);
  EXPECT_DOUBLE_EQ(m.apply(4), 1.0);
  EXPECT_DOUBLE_EQ(m.apply(7), 2.0);  // beyond the fitted part: not clipped
  const std::vector<double> e{0, std::exp(2.0) - 1};  // ln(1 + x) = 0, 2: mean 1, std 1
  const Scaler l = Scaler::fit(ScalerKind::log, e, "x");
  EXPECT_NEAR(l.shift(), 1.0, 1e-12);
  EXPECT_NEAR(l.scale(), 1.0, 1e-12);
  EXPECT_NEAR(l.apply(0), -1.0, 1e-12);
  EXPECT_DOUBLE_EQ(Scaler().apply(3.5), 3.5);
}

TEST(Scaler, InvertsWhatItApplies) {
  const std::vector<double> x{0.5, 10, 300, 7, 42};
  for (ScalerKind k : {ScalerKind::none, ScalerKind::standard, ScalerKind::min_max, ScalerKind::log}) {
    const Scaler s = Scaler::fit(k, x, "x");
    for (double v : {0.0, 0.5, 3.0, 299.0, 1000.0}) EXPECT_NEAR(s.invert(s.apply(v)), v, 1e-9 * (1 + v)) << scaler_name(k);
    EXPECT_EQ(scaler_kind(scaler_name(k)), k);
  }
}

TEST(Scaler, ConstantSeriesAndBadInput) {
  const std::vector<double> c{5, 5, 5};
  EXPECT_DOUBLE_EQ(Scaler::fit(ScalerKind::standard, c, "x").apply(6), 1.0);  // std 0 -> 1
  EXPECT_DOUBLE_EQ(Scaler::fit(ScalerKind::min_max, c, "x").apply(6), 1.0);
  const std::vector<double> neg{1, -2};
  EXPECT_THROW(Scaler::fit(ScalerKind::log, neg, "co2"), Error);
  EXPECT_THROW(Scaler::fit(ScalerKind::standard, std::vector<double>{}, "co2"), Error);
  EXPECT_THROW(scaler_kind("robust"), Error);
}

}  // namespace
}  // namespace recur::data
