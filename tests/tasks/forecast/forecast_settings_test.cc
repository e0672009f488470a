#include "forecast_settings.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur::tasks {
namespace {

config::Section root(const std::string& yaml) { return config::load_string(yaml, "p.yaml", "."); }

std::string series_error(const std::string& yaml) {
  try {
    parse_series_settings(root(yaml).section("series"));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::string forecaster_error(const std::string& yaml) {
  try {
    parse_forecaster_settings(root(yaml).section("forecaster"));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ForecastSettings, SeriesWithPerColumnScalers) {
  const SeriesSettings s = parse_series_settings(
      root("series: {target: gdp, inputs: [cons, unemp], scaler: log, scalers: {unemp: min_max}, season: 4, "
           "calendar: true, missing: interpolate}")
          .section("series"));
  EXPECT_EQ(s.columns(), (std::vector<std::string>{"gdp", "cons", "unemp"}));
  EXPECT_EQ(s.scalers, (std::vector<data::ScalerKind>{data::ScalerKind::log, data::ScalerKind::log,
                                                      data::ScalerKind::min_max}));
  EXPECT_EQ(s.season, 4);
  EXPECT_TRUE(s.calendar && s.relative);
  EXPECT_EQ(s.read_options().missing, data::MissingValues::interpolate);
  EXPECT_EQ(s.read_options().time_column, "time");
}

TEST(ForecastSettings, SeriesErrorsNameTheKey) {
  EXPECT_NE(series_error("series: {inputs: [a]}").find("series.target"), std::string::npos);
  EXPECT_NE(series_error("series: {target: a, inputs: [a]}").find("column 'a' is named twice"), std::string::npos);
  EXPECT_NE(series_error("series: {target: a, scalers: {b: log}}").find("series.scalers.b"), std::string::npos);
  EXPECT_NE(series_error("series: {target: a, scaler: robust}").find("series.scaler"), std::string::npos);
  EXPECT_NE(series_error("series: {target: a, calendar: true}").find("a season of at least 2"), std::string::npos);
  EXPECT_NE(series_error("series: {target: a, sesaon: 12}").find("sesaon"), std::string::npos);
}

TEST(ForecastSettings, ForecasterQuantilesMustHoldTheMedian) {
  const ForecasterSettings f = parse_forecaster_settings(
      root("forecaster: {cell: gru, head: autoregressive, loss: quantile, quantiles: [0.05, 0.5, 0.95]}")
          .section("forecaster"));
  EXPECT_EQ(f.cell, ops::RnnCell::gru);
  EXPECT_EQ(f.head, ForecastHead::autoregressive);
  EXPECT_EQ(f.outputs(), 3);
  EXPECT_EQ(f.point_index(), 1);
  EXPECT_NE(forecaster_error("forecaster: {loss: quantile, quantiles: [0.1, 0.9]}").find("must hold 0.5"),
            std::string::npos);
  EXPECT_NE(forecaster_error("forecaster: {loss: quantile, quantiles: [0.5, 0.1]}").find("ascending"),
            std::string::npos);
  EXPECT_NE(forecaster_error("forecaster: {loss: quantile, quantiles: [0.5, 1.0]}").find("(0, 1)"),
            std::string::npos);
  EXPECT_NE(forecaster_error("forecaster: {loss: mse, quantiles: [0.5]}").find("only read with loss: quantile"),
            std::string::npos);
  EXPECT_NE(forecaster_error("forecaster: {cell: transformer}").find("forecaster.cell"), std::string::npos);
}

}  // namespace
}  // namespace recur::tasks
