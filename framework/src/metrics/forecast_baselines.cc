#include "recur/metrics/forecast_baselines.h"

#include <string>

#include "recur/core/error.h"

namespace recur::metrics {

std::vector<double> naive_forecast(std::span<const double> history, std::int64_t horizon) {
  if (history.empty()) throw Error("naive forecast: empty history");
  return std::vector<double>(static_cast<std::size_t>(horizon), history.back());
}

std::vector<double> seasonal_naive_forecast(std::span<const double> history, std::int64_t horizon, std::int64_t m) {
  const auto t = static_cast<std::int64_t>(history.size());
  if (m < 1 || t < m) {
    throw Error("seasonal-naive forecast: needs a period >= 1 and at least one season of history (period " +
                std::to_string(m) + ", " + std::to_string(t) + " values)");
  }
  std::vector<double> out;
  for (std::int64_t k = 0; k < horizon; ++k) out.push_back(history[static_cast<std::size_t>(t - m + k % m)]);
  return out;
}

}  // namespace recur::metrics
