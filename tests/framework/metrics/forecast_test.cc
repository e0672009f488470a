#include "recur/metrics/forecast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "recur/core/error.h"
#include "recur/metrics/forecast_baselines.h"

namespace recur::metrics {
namespace {

TEST(ForecastMetrics, HandComputedValues) {
  const std::vector<double> f{2, 4, 0}, a{1, 6, 0};
  // errors 1, -2, 0: MAE 1, RMSE sqrt(5/3); sMAPE terms 2/3, 4/10, 0 (0/0 counts 0).
  const ForecastScores s = forecast_scores(f, a, 0.5);
  EXPECT_DOUBLE_EQ(s.mae, 1.0);
  EXPECT_DOUBLE_EQ(s.rmse, std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(s.smape, 100.0 * (2.0 / 3.0 + 0.4) / 3.0);
  EXPECT_DOUBLE_EQ(s.mase, 2.0);
  EXPECT_EQ(s.values, 3);
  EXPECT_THROW(forecast_scores(f, std::vector<double>{1}, 1.0), Error);
  EXPECT_THROW(forecast_scores(std::vector<double>{}, std::vector<double>{}, 1.0), Error);
}

TEST(ForecastMetrics, MaseScaleIsTheInSampleSeasonalNaiveError) {
  const std::vector<double> y{1, 3, 2, 6, 4};
  EXPECT_DOUBLE_EQ(mase_scale(y, 1), (2.0 + 1 + 4 + 2) / 4);
  EXPECT_DOUBLE_EQ(mase_scale(y, 2), (1.0 + 3 + 2) / 3);
  EXPECT_THROW(mase_scale(y, 5), Error);
  EXPECT_THROW(mase_scale(std::vector<double>{2, 2, 2}, 1), Error);
  EXPECT_THROW(mase_scale(y, 0), Error);
}

TEST(ForecastBaselines, NaiveAndSeasonalNaive) {
  const std::vector<double> y{10, 11, 12, 13, 20, 21, 22, 23};
  EXPECT_EQ(naive_forecast(y, 3), (std::vector<double>{23, 23, 23}));
  EXPECT_EQ(seasonal_naive_forecast(y, 6, 4), (std::vector<double>{20, 21, 22, 23, 20, 21}));
  EXPECT_EQ(seasonal_naive_forecast(y, 2, 1), (std::vector<double>{23, 23}));
  EXPECT_THROW(seasonal_naive_forecast(std::vector<double>{1, 2}, 1, 3), Error);
  EXPECT_THROW(naive_forecast(std::vector<double>{}, 1), Error);
}

}  // namespace
}  // namespace recur::metrics
