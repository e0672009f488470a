#include "recur/pipeline/backtest.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "recur/core/error.h"
#include "recur/metrics/forecast_baselines.h"

namespace recur {

Backtest run_backtest(Forecaster& f, const data::Series& series, std::int64_t windows, std::int64_t horizon) {
  if (windows < 1) throw Error("backtest: needs at least 1 window");
  const std::int64_t n = series.length();
  const std::int64_t first = n - horizon - (windows - 1);
  const std::int64_t needed = std::max(f.context(), f.season() + 1);
  if (first < needed) {
    throw Error(series.file + ": " + std::to_string(n) + " rows are too few for " + std::to_string(windows) +
                " backtest windows of " + std::to_string(horizon) + " steps after " + std::to_string(needed) +
                " rows of history (the model's context or a season and one)");
  }
  const std::vector<double>& y = f.target().empty() ? series.values.at(0) : series.column(f.target());
  Backtest b;
  b.horizon = horizon;
  b.season = f.season();
  b.scale = metrics::mase_scale(std::span(y).first(static_cast<std::size_t>(first)), b.season);
  std::vector<std::int64_t> origins;
  for (std::int64_t o = first; o + horizon <= n; ++o) origins.push_back(o);
  const auto start = std::chrono::steady_clock::now();
  std::vector<Forecast> forecasts = f.forecast(series, origins, horizon);
  b.forecast_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all_actual, all_model, all_naive, all_seasonal;
  const std::size_t values = origins.size() * static_cast<std::size_t>(horizon);
  for (auto* all : {&all_actual, &all_model, &all_naive, &all_seasonal}) all->reserve(values);
  b.windows.reserve(origins.size());
  std::int64_t inside = 0;
  for (std::size_t w = 0; w < origins.size(); ++w) {
    BacktestWindow win;
    win.origin = origins[w];
    const auto history = std::span(y).first(static_cast<std::size_t>(win.origin));
    win.actual.assign(y.begin() + win.origin, y.begin() + win.origin + horizon);
    win.model = std::move(forecasts.at(w));
    win.naive = metrics::naive_forecast(history, horizon);
    win.seasonal_naive = metrics::seasonal_naive_forecast(history, horizon, b.season);
    all_actual.insert(all_actual.end(), win.actual.begin(), win.actual.end());
    all_model.insert(all_model.end(), win.model.point.begin(), win.model.point.end());
    all_naive.insert(all_naive.end(), win.naive.begin(), win.naive.end());
    all_seasonal.insert(all_seasonal.end(), win.seasonal_naive.begin(), win.seasonal_naive.end());
    if (!win.model.levels.empty()) {
      for (std::int64_t k = 0; k < horizon; ++k) {
        const double lo = win.model.quantiles.front()[k], hi = win.model.quantiles.back()[k];
        inside += lo <= win.actual[k] && win.actual[k] <= hi;
      }
    }
    b.windows.push_back(std::move(win));
  }
  b.model = metrics::forecast_scores(all_model, all_actual, b.scale);
  b.naive = metrics::forecast_scores(all_naive, all_actual, b.scale);
  b.seasonal_naive = metrics::forecast_scores(all_seasonal, all_actual, b.scale);
  if (!b.windows.front().model.levels.empty()) {
    b.coverage = 100.0 * static_cast<double>(inside) / static_cast<double>(all_actual.size());
  }
  return b;
}

}  // namespace recur
