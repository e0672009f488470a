// Rolling-origin evaluation of a forecaster (Hyndman & Athanasopoulos, "time series
// cross-validation"): forecasts of `horizon` steps from each of the last `windows`
// origins, one step apart, the last window ending at the series' last row; the model,
// the naive and the seasonal-naive forecasts are scored on the same windows. MASE's
// scale is the seasonal-naive error of the history before the first origin (no value
// scored is part of it).
#pragma once

#include <cstdint>
#include <vector>

#include "recur/data/series.h"
#include "recur/metrics/forecast.h"
#include "recur/pipeline/forecaster.h"

namespace recur {

struct BacktestWindow {
  std::int64_t origin = 0;  // rows [origin, origin + horizon) are forecast
  std::vector<double> actual;
  Forecast model;
  std::vector<double> naive, seasonal_naive;
};

struct Backtest {
  std::int64_t horizon = 0;
  std::int64_t season = 1;
  double scale = 0.0;  // MASE's
  std::vector<BacktestWindow> windows;
  metrics::ForecastScores model, naive, seasonal_naive;
  // Of the model's intervals (when it has any): the share of actual values inside
  // [lowest level, highest level], %.
  double coverage = -1.0;
  // Wall time of the model's forecasts alone (the baselines and scores excluded): what
  // `recur forecast --backtest` reports as forecasts/s.
  double forecast_seconds = 0.0;
};

// An Error naming what is missing when the series is too short for `windows` windows
// after the model's context and a season of history.
Backtest run_backtest(Forecaster& forecaster, const data::Series& series, std::int64_t windows,
                      std::int64_t horizon);

}  // namespace recur
