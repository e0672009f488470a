// A series as the model sees it: each column scaled by its fitted scaler, optional
// calendar features, cut into windows at forecast origins. For an origin o (the number
// of rows known), the encoder reads rows [o - L, o) and the head forecasts rows
// [o, o + horizon):
//
//   encoder row t    [s_1(t) - l_1, ..., s_C(t) - l_C, sin 2pi p(t)/m, cos 2pi p(t)/m]
//   decoder step k   [s_1(o+k-1) - l_1, sin 2pi p(o+k)/m, cos 2pi p(o+k)/m]
//   target step k    s_1(o+k) - l_1
//
// s_c is column c scaled (column 1 is the target), l_c = s_c(o - 1) with `relative`
// (else 0), p(t) = the row's ordinal in the time axis mod m (calendar only). Rows past
// the end of the series have calendar features (their ordinal continues) but no values.
#pragma once

#include <cstdint>
#include <vector>

#include "forecast_settings.h"
#include "recur/core/tensor.h"
#include "recur/data/scaler.h"
#include "recur/data/series.h"
#include "recur/pipeline/forecaster.h"

namespace recur::tasks {

struct WindowBatch {
  Tensor inputs;          // [B, L, I]
  Tensor decoder_inputs;  // [B, horizon, Id]
  Tensor targets;         // [B, horizon]; undefined when a window runs past the data
  std::vector<double> levels;  // l_1 of each window
};

class ForecastWindows {
 public:
  // `series` must hold the settings' columns (read with SeriesSettings::read_options()).
  ForecastWindows(const SeriesSettings& series_settings, std::int64_t context, const data::Series& series,
                  std::vector<data::Scaler> scalers);

  static std::int64_t input_size(const SeriesSettings& s);
  static std::int64_t decoder_input_size(const SeriesSettings& s);

  // Windows at `origins` (each in [context, length]); targets when every window's
  // horizon lies inside the series.
  WindowBatch batch(const std::vector<std::int64_t>& origins, std::int64_t horizon) const;

  // The model's outputs [B, horizon, Q] back in the target's units: level + output,
  // inverted by the target's scaler. The point is output `point`; the other outputs are
  // quantile levels `levels` (empty: none), sorted per step so intervals never cross.
  std::vector<Forecast> unscale(const Tensor& outputs, const WindowBatch& batch, std::int64_t point,
                                const std::vector<float>& levels) const;

  // Column c of the series, scaled.
  const std::vector<double>& scaled(std::size_t c) const { return scaled_.at(c); }

 private:
  // Row `row`'s phase in the season (rows past the end too: the ordinal continues).
  std::int64_t phase(std::int64_t row) const;
  // sin, cos of `phase` (from the table of one season) into out[0..1]; then steps
  // `phase` on to the next row's.
  void calendar(std::int64_t& phase, float* out) const;

  SeriesSettings settings_;
  std::int64_t context_;
  std::int64_t length_;
  const data::TimeAxis axis_;
  std::vector<data::Scaler> scalers_;
  std::vector<std::vector<double>> scaled_;  // [column][row]
  std::vector<float> phases_;                 // [season][sin, cos]
};

// `origins` cut into chunks of at most `max_size` windows, all of one size (so a model
// call is compiled for one shape): the chunks' sizes differ by at most one, and the
// shorter ones are padded with copies of their last origin. `real` counts a chunk's
// own origins, which come first, in order.
struct OriginChunk {
  std::vector<std::int64_t> origins;
  std::size_t real = 0;
};
std::vector<OriginChunk> equal_chunks(const std::vector<std::int64_t>& origins, std::size_t max_size);

// Fits each column's scaler on rows [0, rows) of `series`.
std::vector<data::Scaler> fit_scalers(const SeriesSettings& settings, const data::Series& series, std::int64_t rows);

}  // namespace recur::tasks
