// What a forecasting task offers besides the Task interface: forecasts of a series'
// future from its past. `recur forecast` and `recur eval --metric forecast` reach it by
// dynamic_cast from the pipeline's Task (a task that forecasts derives from both), so the
// Task interface itself is unchanged (ABI 4.1: this class is new).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "recur/data/series.h"

namespace recur {

struct Forecast {
  std::vector<double> point;                   // [horizon], in the series' own units
  std::vector<double> levels;                  // quantile levels of the intervals, ascending
  std::vector<std::vector<double>> quantiles;  // [level][horizon]
};

class Forecaster {
 public:
  virtual ~Forecaster();

  // How a series for this model is read: its time column and the value columns it uses.
  virtual data::SeriesReadOptions read_options() const = 0;
  // The column forecast.
  virtual const std::string& target() const = 0;
  // The seasonal period m (seasonal-naive baseline, MASE); 1 when the series has none.
  virtual std::int64_t season() const = 0;
  // Rows of history a forecast reads: an origin must be at least this.
  virtual std::int64_t context() const = 0;
  // The longest horizon it forecasts.
  virtual std::int64_t max_horizon() const = 0;
  // For each origin o (context() <= o <= series.length()), the forecast of rows
  // [o, o + horizon) from rows [o - context(), o). 1 <= horizon <= max_horizon().
  virtual std::vector<Forecast> forecast(const data::Series& series, const std::vector<std::int64_t>& origins,
                                         std::int64_t horizon) = 0;
};

}  // namespace recur
