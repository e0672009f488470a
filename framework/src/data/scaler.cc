#include "recur/data/scaler.h"

#include <algorithm>
#include <cmath>

#include "recur/core/error.h"

namespace recur::data {

std::string_view scaler_name(ScalerKind kind) {
  switch (kind) {
    case ScalerKind::none: return "none";
    case ScalerKind::standard: return "standard";
    case ScalerKind::min_max: return "min_max";
    case ScalerKind::log: return "log";
  }
  return "none";
}

ScalerKind scaler_kind(std::string_view name) {
  for (ScalerKind k : {ScalerKind::none, ScalerKind::standard, ScalerKind::min_max, ScalerKind::log}) {
    if (scaler_name(k) == name) return k;
  }
  throw Error("unknown scaler '" + std::string(name) + "' (expected none, standard, min_max or log)");
}

Scaler Scaler::fit(ScalerKind kind, std::span<const double> values, const std::string& what) {
  if (values.empty()) throw Error(what + ": no values to fit the scaler on");
  if (kind == ScalerKind::none) return {};
  if (kind == ScalerKind::min_max) {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    return {kind, *lo, *hi > *lo ? *hi - *lo : 1.0};
  }
  double sum = 0.0, sq = 0.0;
  for (double x : values) {
    if (kind == ScalerKind::log && !(x > -1.0)) {
      throw Error(what + ": the log scaler needs values > -1, got " + std::to_string(x));
    }
    const double v = kind == ScalerKind::log ? std::log1p(x) : x;
    sum += v;
    sq += v * v;
  }
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  const double var = std::max(0.0, sq / n - mean * mean);
  const double sd = std::sqrt(var);
  return {kind, mean, sd > 1e-12 * std::max(1.0, std::abs(mean)) ? sd : 1.0};
}

double Scaler::apply(double x) const {
  if (kind_ == ScalerKind::none) return x;
  if (kind_ == ScalerKind::log) x = std::log1p(x);
  return (x - shift_) / scale_;
}

double Scaler::invert(double y) const {
  if (kind_ == ScalerKind::none) return y;
  const double x = y * scale_ + shift_;
  return kind_ == ScalerKind::log ? std::expm1(x) : x;
}

}  // namespace recur::data
