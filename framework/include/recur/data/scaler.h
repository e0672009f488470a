// Scaling of a series' values before a model sees them, fitted on the training part
// only and inverted on the model's outputs:
//   none      x
//   standard  (x - mean) / std                       (std 0: 1)
//   min_max   (x - min) / (max - min)                 (to [0, 1] on the fitted part; range 0: 1)
//   log       (ln(1 + x) - mean) / std of ln(1 + x)   (x > -1; for positive, skewed series)
// A scaler is two numbers (shift, scale) and its kind, so a model stores it with its
// weights (ForecastModel's `scaler.<column>` buffers).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace recur::data {

enum class ScalerKind { none, standard, min_max, log };

std::string_view scaler_name(ScalerKind kind);
// The kind of a name above; Error listing the names for any other.
ScalerKind scaler_kind(std::string_view name);

class Scaler {
 public:
  Scaler() = default;
  Scaler(ScalerKind kind, double shift, double scale) : kind_(kind), shift_(shift), scale_(scale) {}
  // Fits on `values` (non-empty; log: all > -1, else an Error naming `what`).
  static Scaler fit(ScalerKind kind, std::span<const double> values, const std::string& what);

  double apply(double x) const;
  double invert(double y) const;

  ScalerKind kind() const { return kind_; }
  double shift() const { return shift_; }
  double scale() const { return scale_; }

 private:
  ScalerKind kind_ = ScalerKind::none;
  double shift_ = 0.0;
  double scale_ = 1.0;
};

}  // namespace recur::data
