// The forecasts every model must beat, from the history alone:
//   naive           every horizon repeats the last value ("tomorrow equals today");
//   seasonal naive  horizon k (1-based) repeats the value one season before it,
//                   y[T - m + (k - 1) mod m] for a history y[0, T) and period m.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace recur::metrics {

// An Error if the history is empty.
std::vector<double> naive_forecast(std::span<const double> history, std::int64_t horizon);
// An Error if the history is shorter than m (m >= 1; m = 1 is the naive forecast).
std::vector<double> seasonal_naive_forecast(std::span<const double> history, std::int64_t horizon, std::int64_t m);

}  // namespace recur::metrics
