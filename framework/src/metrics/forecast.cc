#include "recur/metrics/forecast.h"

#include <cmath>
#include <string>

#include "recur/core/error.h"

namespace recur::metrics {

double mase_scale(std::span<const double> y, std::int64_t m) {
  if (m < 1) throw Error("MASE: the seasonal period must be >= 1, got " + std::to_string(m));
  const auto n = static_cast<std::int64_t>(y.size());
  if (n <= m) {
    throw Error("MASE: the history has " + std::to_string(n) + " values, the seasonal period " + std::to_string(m) +
                " needs more");
  }
  double sum = 0.0;
  for (std::int64_t t = m; t < n; ++t) sum += std::abs(y[t] - y[t - m]);
  const double scale = sum / static_cast<double>(n - m);
  if (!(scale > 0.0)) throw Error("MASE: the history's seasonal differences are all 0 (a constant series)");
  return scale;
}

ForecastScores forecast_scores(std::span<const double> f, std::span<const double> a, double scale) {
  if (f.size() != a.size()) {
    throw Error("forecast scores: " + std::to_string(f.size()) + " forecasts for " + std::to_string(a.size()) +
                " actual values");
  }
  if (f.empty()) throw Error("forecast scores: no values");
  double abs_sum = 0.0, sq_sum = 0.0, smape_sum = 0.0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const double e = f[i] - a[i];
    abs_sum += std::abs(e);
    sq_sum += e * e;
    const double denom = std::abs(a[i]) + std::abs(f[i]);
    if (denom > 0.0) smape_sum += 2.0 * std::abs(e) / denom;
  }
  const double n = static_cast<double>(f.size());
  ForecastScores s;
  s.mae = abs_sum / n;
  s.rmse = std::sqrt(sq_sum / n);
  s.smape = 100.0 * smape_sum / n;
  s.mase = s.mae / scale;
  s.values = static_cast<std::int64_t>(f.size());
  return s;
}

}  // namespace recur::metrics
