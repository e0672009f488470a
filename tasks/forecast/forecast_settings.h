// The settings of a forecasting pipeline, parsed in one place:
//
//   task: forecasting
//   series:                    # how the series is read and presented to the model
//     time: time               # the time column (integers or YYYY-MM-DD, time_axis.h)
//     target: co2              # the column forecast
//     inputs: [co2_adjusted]   # other columns the encoder reads (default: none)
//     scaler: standard         # none | standard | min_max | log, fitted on the training part
//     scalers: {co2_adjusted: min_max}   # per-column overrides of `scaler`
//     season: 12               # seasonal period m (seasonal-naive, MASE, calendar); 1: none
//     calendar: true           # sin/cos of the position within the season as inputs
//     relative: true           # every column minus its value at the window's last step
//     missing: error           # error | interpolate (series.h)
//   forecaster:
//     cell: lstm               # lstm | gru | rnn (tanh)
//     hidden_size: 32
//     layers: 1
//     bidirectional: false
//     dropout: 0.0             # between layers and on the encoder's summary (training)
//     context: 36              # past steps each forecast reads
//     horizon: 12              # steps forecast at once (direct) / trained on (autoregressive)
//     head: direct             # direct: all horizons from the summary at once;
//                              # autoregressive: a recurrent decoder fed its own forecasts
//     loss: mse                # mse | mae | quantile (pinball over `quantiles`)
//     quantiles: [0.1, 0.5, 0.9]   # quantile loss: levels in (0, 1), must hold 0.5 (the point)
//     seed: 1
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "recur/config/section.h"
#include "recur/data/scaler.h"
#include "recur/data/series.h"
#include "recur/ops/rnn.h"

namespace recur::tasks {

struct SeriesSettings {
  std::string time = "time";
  std::string target;
  std::vector<std::string> inputs;
  std::vector<data::ScalerKind> scalers;  // per column: target, then inputs
  std::int64_t season = 1;
  bool calendar = false;
  bool relative = true;
  data::MissingValues missing = data::MissingValues::error;

  // target, then inputs: the columns in the order the model reads them.
  std::vector<std::string> columns() const;
  data::SeriesReadOptions read_options() const;
};

enum class ForecastHead { direct, autoregressive };
enum class ForecastLoss { mse, mae, quantile };

struct ForecasterSettings {
  ops::RnnCell cell = ops::RnnCell::lstm;
  std::int64_t hidden_size = 32;
  std::int64_t layers = 1;
  bool bidirectional = false;
  float dropout = 0.0f;
  std::int64_t context = 24;
  std::int64_t horizon = 1;
  ForecastHead head = ForecastHead::direct;
  ForecastLoss loss = ForecastLoss::mse;
  std::vector<float> quantiles;  // quantile loss only; ascending
  std::uint64_t seed = 1;

  // Outputs per horizon step: the quantiles, or 1.
  std::int64_t outputs() const;
  // The output index of the point forecast (the 0.5 quantile, or 0).
  std::int64_t point_index() const;
};

// ConfigError at the key.
SeriesSettings parse_series_settings(const config::Section& section);
ForecasterSettings parse_forecaster_settings(const config::Section& section);

}  // namespace recur::tasks
