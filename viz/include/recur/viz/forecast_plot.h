// The picture of `recur plot forecast`: what `recur forecast` wrote, against the series.
//   a forecast past the end (time, TARGET[, TARGET_qLEVEL...]): the last `history` rows of
//     the series' TARGET column, then the forecast with its lowest and highest quantile;
//   backtest windows (origin, time, step, actual, TARGET, naive, seasonal_naive[, ...]):
//     the forecasts made `step` steps ahead against the actual values, with the naive
//     and seasonal-naive forecasts of the same times (the series is not needed).
// Times become the x axis as numbers: integers as they are, YYYY-MM-DD as decimal years.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "recur/viz/figure.h"

namespace recur::viz {

// `history` 0: 4 x the forecast's steps, at least 24. `series` is read for a forecast past the end (IoError naming a file, line and column
// that do not fit; Error if a backtest has no window with that step).
Figure forecast_figure(const std::filesystem::path& forecast_csv, const std::filesystem::path& series,
                       std::int64_t step, std::int64_t history);

// A time stamp as a number (above); IoError naming `where` if it is neither.
double time_value(const std::string& stamp, const std::string& where);

}  // namespace recur::viz
