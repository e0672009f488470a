#include "forecast_windows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <sstream>

#include "recur/core/error.h"

namespace recur::tasks {
namespace {

// Monthly, starting in November: x = 1..6, z = 10, 20, ..., 60.
data::Series series() {
  std::istringstream in(
      "time,x,z\n2019-11-01,1,10\n2019-12-01,2,20\n2020-01-01,3,30\n2020-02-01,4,40\n2020-03-01,5,50\n"
      "2020-04-01,6,60\n");
  data::SeriesReadOptions o;
  o.columns = {"x", "z"};
  return data::read_series_csv(in, "s.csv", o);
}

SeriesSettings settings(bool relative, bool calendar) {
  SeriesSettings s;
  s.target = "x";
  s.inputs = {"z"};
  s.scalers = {data::ScalerKind::none, data::ScalerKind::none};
  s.season = 12;
  s.calendar = calendar;
  s.relative = relative;
  return s;
}

TEST(ForecastWindows, RelativeFeaturesAndTargetsByHand) {
  const data::Series s = series();
  ForecastWindows w(settings(true, false), 2, s, {data::Scaler(), data::Scaler()});
  const WindowBatch b = w.batch({3, 4}, 2);
  // Origin 3: rows 1, 2 read, level (x, z) = (3, 30); targets rows 3, 4 -> 4 - 3, 5 - 3.
  EXPECT_EQ(b.inputs.to_vector(), (std::vector<float>{-1, -10, 0, 0, -1, -10, 0, 0}));
  EXPECT_EQ(b.targets.to_vector(), (std::vector<float>{1, 2, 1, 2}));
  // Decoder step k reads the target of row o + k - 1.
  EXPECT_EQ(b.decoder_inputs.to_vector(), (std::vector<float>{0, 1, 0, 1}));
  EXPECT_EQ(b.levels, (std::vector<double>{3, 4}));
  // A window past the end has no targets; origin 1 reads before the start.
  EXPECT_FALSE(w.batch({6}, 3).targets.defined());
  EXPECT_THROW(w.batch({1}, 1), Error);
  EXPECT_THROW(w.batch({7}, 1), Error);
}

TEST(ForecastWindows, CalendarFollowsTheMonthPastTheEnd) {
  const data::Series s = series();
  ForecastWindows w(settings(false, true), 1, s, {data::Scaler(), data::Scaler()});
  const WindowBatch b = w.batch({6}, 2);  // reads April 2020, forecasts May and June
  auto angle = [](int month) { return 2.0 * std::numbers::pi * (month - 1) / 12.0; };
  const std::vector<float> in = b.inputs.to_vector();
  EXPECT_EQ(in[0], 6.0f);  // not relative: the value itself
  EXPECT_NEAR(in[2], std::sin(angle(4)), 1e-6);
  EXPECT_NEAR(in[3], std::cos(angle(4)), 1e-6);
  const std::vector<float> dec = b.decoder_inputs.to_vector();
  EXPECT_NEAR(dec[1], std::sin(angle(5)), 1e-6);
  EXPECT_NEAR(dec[5], std::cos(angle(6)), 1e-6);
}

TEST(ForecastWindows, UnscaleInvertsScalingAndSortsQuantiles) {
  const data::Series s = series();
  SeriesSettings st = settings(true, false);
  const auto scalers = fit_scalers(st, s, 4);  // none: identity
  ForecastWindows plain(st, 2, s, scalers);
  st.scalers[0] = data::ScalerKind::standard;
  const auto fitted = fit_scalers(st, s, 4);  // x rows 0..3: mean 2.5, std sqrt(1.25)
  EXPECT_DOUBLE_EQ(fitted[0].shift(), 2.5);
  ForecastWindows w(st, 2, s, fitted);
  const WindowBatch b = w.batch({4}, 2);
  // Outputs equal to the targets give back the actual values, 5 and 6.
  const Tensor out = Tensor::from({1, 2, 1}, b.targets.to_vector());
  const auto f = w.unscale(out, b, 0, {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NEAR(f[0].point[0], 5.0, 1e-5);
  EXPECT_NEAR(f[0].point[1], 6.0, 1e-5);
  // Three quantiles, crossing at step 1: sorted per step; the point is output 1.
  const Tensor q = Tensor::from({1, 2, 3}, {0.0f, 1.0f, -1.0f, 0.0f, 1.0f, 2.0f});
  const auto g = plain.unscale(q, plain.batch({4}, 2), 1, {0.1f, 0.5f, 0.9f});
  EXPECT_EQ(g[0].point, (std::vector<double>{5, 5}));  // level 4 + 1
  EXPECT_EQ(g[0].quantiles[0], (std::vector<double>{3, 4}));
  EXPECT_EQ(g[0].quantiles[2], (std::vector<double>{5, 6}));
}

TEST(ForecastWindows, CalendarStepsAcrossTheYear) {
  const data::Series s = series();
  ForecastWindows w(settings(false, true), 4, s, {data::Scaler(), data::Scaler()});
  const WindowBatch b = w.batch({4}, 2);  // reads Nov 2019 - Feb 2020, forecasts March, April
  auto angle = [](int month) { return 2.0 * std::numbers::pi * (month - 1) / 12.0; };
  const std::vector<float> in = b.inputs.to_vector(), dec = b.decoder_inputs.to_vector();
  const int months[] = {11, 12, 1, 2};
  for (int t = 0; t < 4; ++t) {
    EXPECT_NEAR(in[4 * t + 2], std::sin(angle(months[t])), 1e-6) << t;
    EXPECT_NEAR(in[4 * t + 3], std::cos(angle(months[t])), 1e-6) << t;
  }
  for (int k = 0; k < 2; ++k) {
    EXPECT_NEAR(dec[3 * k + 1], std::sin(angle(3 + k)), 1e-6) << k;
    EXPECT_NEAR(dec[3 * k + 2], std::cos(angle(3 + k)), 1e-6) << k;
  }
}

TEST(ForecastWindows, EqualChunksKeepEveryOriginInOrder) {
  for (std::size_t n : {1, 5, 255, 256, 257, 600, 23953}) {
    std::vector<std::int64_t> origins(n);
    for (std::size_t i = 0; i < n; ++i) origins[i] = static_cast<std::int64_t>(100 + 3 * i);
    const std::vector<OriginChunk> chunks = equal_chunks(origins, 256);
    ASSERT_EQ(chunks.size(), (n + 255) / 256) << n;
    std::vector<std::int64_t> joined;
    for (const OriginChunk& c : chunks) {
      EXPECT_EQ(c.origins.size(), chunks.front().origins.size()) << n;
      EXPECT_LE(c.origins.size(), 256u);
      EXPECT_LE(chunks.front().origins.size() - c.real, chunks.size() - 1) << n;
      joined.insert(joined.end(), c.origins.begin(), c.origins.begin() + static_cast<std::ptrdiff_t>(c.real));
      for (std::size_t i = c.real; i < c.origins.size(); ++i) EXPECT_EQ(c.origins[i], c.origins[c.real - 1]);
    }
    EXPECT_EQ(joined, origins) << n;
  }
  EXPECT_TRUE(equal_chunks({}, 256).empty());
}

}  // namespace
}  // namespace recur::tasks
