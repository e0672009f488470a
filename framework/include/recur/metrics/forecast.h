// Point-forecast accuracy: MAE, RMSE, sMAPE and MASE over any number of forecast values
// (every horizon of every backtest window), as the M4 competition defines them:
//
//   MAE   = mean |f - a|
//   RMSE  = sqrt(mean (f - a)^2)
//   sMAPE = 100 * mean 2 |f - a| / (|a| + |f|)      (a term with a = f = 0 counts 0)
//   MASE  = MAE / scale, scale = mean_{t > m} |y_t - y_{t-m}| over the in-sample
//           history y (the seasonal-naive forecast's one-step error there; m = 1: naive)
//
// MASE < 1 beats the in-sample seasonal-naive forecast; the same scale divides every
// method scored on the same windows, so their MASE compare as their MAE do.
#pragma once

#include <cstdint>
#include <span>

namespace recur::metrics {

struct ForecastScores {
  double mae = 0.0;
  double rmse = 0.0;
  double smape = 0.0;  // %
  double mase = 0.0;
  std::int64_t values = 0;
};

// The seasonal-naive scale of `history` for period m >= 1; an Error if the history has
// no more than m values or the scale is 0 (a constant history: MASE is undefined).
double mase_scale(std::span<const double> history, std::int64_t m);

// forecast[i] predicts actual[i]; an Error on a size mismatch or no values.
ForecastScores forecast_scores(std::span<const double> forecast, std::span<const double> actual, double scale);

}  // namespace recur::metrics
