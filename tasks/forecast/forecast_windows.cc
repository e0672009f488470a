#include "forecast_windows.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>

#include "recur/core/error.h"

namespace recur::tasks {

std::int64_t ForecastWindows::input_size(const SeriesSettings& s) {
  return static_cast<std::int64_t>(s.columns().size()) + (s.calendar ? 2 : 0);
}

std::int64_t ForecastWindows::decoder_input_size(const SeriesSettings& s) { return 1 + (s.calendar ? 2 : 0); }

std::vector<OriginChunk> equal_chunks(const std::vector<std::int64_t>& origins, std::size_t max_size) {
  if (origins.empty()) return {};
  const std::size_t count = (origins.size() + max_size - 1) / max_size;
  const std::size_t size = (origins.size() + count - 1) / count;
  std::vector<OriginChunk> out(count);
  for (std::size_t c = 0; c < count; ++c) {
    const auto first = origins.begin() + static_cast<std::ptrdiff_t>(c * size);
    out[c].real = std::min(size, origins.size() - c * size);
    out[c].origins.assign(first, first + static_cast<std::ptrdiff_t>(out[c].real));
    out[c].origins.resize(size, out[c].origins.back());
  }
  return out;
}

std::vector<data::Scaler> fit_scalers(const SeriesSettings& settings, const data::Series& series, std::int64_t rows) {
  std::vector<data::Scaler> out;
  const auto columns = settings.columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::vector<double>& v = series.column(columns[c]);
    out.push_back(data::Scaler::fit(settings.scalers.at(c), std::span(v).first(static_cast<std::size_t>(rows)),
                                    series.file + ": column " + columns[c]));
  }
  return out;
}

ForecastWindows::ForecastWindows(const SeriesSettings& settings, std::int64_t context, const data::Series& series,
                                 std::vector<data::Scaler> scalers)
    : settings_(settings), context_(context), length_(series.length()), axis_(series.axis), scalers_(std::move(scalers)) {
  const auto columns = settings.columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::vector<double> s;
    for (double x : series.column(columns[c])) s.push_back(scalers_.at(c).apply(x));
    scaled_.push_back(std::move(s));
  }
  for (std::int64_t phase = 0; phase < settings.season; ++phase) {
    const double angle = 2.0 * std::numbers::pi * static_cast<double>(phase) / static_cast<double>(settings.season);
    phases_.push_back(static_cast<float>(std::sin(angle)));
    phases_.push_back(static_cast<float>(std::cos(angle)));
  }
}

std::int64_t ForecastWindows::phase(std::int64_t row) const {
  const std::int64_t m = settings_.season;
  return ((axis_.ordinal(row) % m) + m) % m;
}

void ForecastWindows::calendar(std::int64_t& phase, float* out) const {
  out[0] = phases_[2 * phase];
  out[1] = phases_[2 * phase + 1];
  if (++phase == settings_.season) phase = 0;
}

WindowBatch ForecastWindows::batch(const std::vector<std::int64_t>& origins, std::int64_t horizon) const {
  const auto b = static_cast<std::int64_t>(origins.size());
  const std::int64_t i = input_size(settings_), id = decoder_input_size(settings_);
  const auto columns = static_cast<std::int64_t>(scaled_.size());
  WindowBatch w;
  w.inputs = Tensor::empty({b, context_, i});
  w.decoder_inputs = Tensor::empty({b, horizon, id});
  bool targets = true;
  for (std::int64_t o : origins) {
    if (o < context_ || o > length_) {
      throw Error("forecast: origin " + std::to_string(o) + " outside [" + std::to_string(context_) + ", " +
                  std::to_string(length_) + "] (the model reads " + std::to_string(context_) + " past rows)");
    }
    targets = targets && o + horizon <= length_;
  }
  if (targets) w.targets = Tensor::empty({b, horizon});
  float* inputs = w.inputs.data<float>();
  float* decoder = w.decoder_inputs.data<float>();
  float* target = targets ? w.targets.data<float>() : nullptr;
  std::vector<double> level(static_cast<std::size_t>(columns), 0.0);
  w.levels.reserve(origins.size());
  for (std::int64_t r = 0; r < b; ++r) {
    const std::int64_t o = origins[static_cast<std::size_t>(r)];
    if (settings_.relative) {
      for (std::int64_t c = 0; c < columns; ++c) level[c] = scaled_[c][o - 1];
    }
    w.levels.push_back(level[0]);
    // The calendar phase steps by one row at a time from the window's first row.
    std::int64_t at = settings_.calendar ? phase(o - context_) : 0;
    for (std::int64_t t = 0; t < context_; ++t) {
      float* row = inputs + (r * context_ + t) * i;
      const std::int64_t src = o - context_ + t;
      for (std::int64_t c = 0; c < columns; ++c) row[c] = static_cast<float>(scaled_[c][src] - level[c]);
      if (settings_.calendar) calendar(at, row + columns);
    }
    const std::vector<double>& first = scaled_[0];
    for (std::int64_t k = 0; k < horizon; ++k) {
      float* row = decoder + (r * horizon + k) * id;
      const std::int64_t prev = o + k - 1;
      row[0] = prev < length_ ? static_cast<float>(first[prev] - level[0]) : 0.0f;  // generate() fills the rest
      if (settings_.calendar) calendar(at, row + 1);
      if (target) target[r * horizon + k] = static_cast<float>(first[o + k] - level[0]);
    }
  }
  return w;
}

std::vector<Forecast> ForecastWindows::unscale(const Tensor& outputs, const WindowBatch& batch, std::int64_t point,
                                               const std::vector<float>& levels) const {
  const std::int64_t b = outputs.dim(0), h = outputs.dim(1), q = outputs.dim(2);
  const float* p = outputs.data<float>();
  std::vector<Forecast> out(static_cast<std::size_t>(b));
  for (std::int64_t r = 0; r < b; ++r) {
    Forecast& f = out[static_cast<std::size_t>(r)];
    const double level = batch.levels[static_cast<std::size_t>(r)];
    auto value = [&](std::int64_t k, std::int64_t j) {
      return scalers_[0].invert(level + static_cast<double>(p[(r * h + k) * q + j]));
    };
    for (std::int64_t k = 0; k < h; ++k) f.point.push_back(value(k, point));
    if (levels.empty()) continue;
    f.levels.assign(levels.begin(), levels.end());
    f.quantiles.assign(levels.size(), std::vector<double>(static_cast<std::size_t>(h)));
    for (std::int64_t k = 0; k < h; ++k) {
      std::vector<double> column;
      for (std::int64_t j = 0; j < q; ++j) column.push_back(value(k, j));
      std::sort(column.begin(), column.end());
      for (std::int64_t j = 0; j < q; ++j) f.quantiles[j][k] = column[j];
    }
  }
  return out;
}

}  // namespace recur::tasks
