// Training a forecaster on one series: the TrainTask the generic Trainer drives
// (checkpoints, exact --resume and early stopping come from it). The series is split in
// time, never shuffled across the split:
//
//   rows [0, train_end)            training: every window whose horizon ends by train_end
//                                  (origins `stride` apart); the scalers are fitted here
//   origins [train_end, ...)       validation: `valid_windows` rolling origins, one step
//                                  apart, the last ending at length - holdout
//   rows [length - holdout, end)   never read in training: left for the final backtest
//
// Each epoch shuffles the training windows (seeded by seed and epoch) into batches of
// train.max_rows windows. Validation reports the loss (scaled units) and, in the series'
// units over the validation windows, mae, rmse, smape, mase, and the baselines'
// naive_mase and snaive_mase (backtest.h).
//
//   train:
//     data:
//       series: ../data/series/co2.csv   # relative to the YAML file
//       valid_windows: 24
//       holdout: 0
//       stride: 1
//     max_rows: 32                       # windows per batch
//     metric: mase                       # loss | mae | rmse | smape | mase
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "forecast_model.h"
#include "forecast_settings.h"
#include "forecast_windows.h"
#include "recur/data/series.h"
#include "recur/pipeline/forecaster.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/train_settings.h"
#include "recur/train/task.h"

namespace recur::tasks {

struct ForecastData {
  std::filesystem::path series;
  std::int64_t valid_windows = 24;
  std::int64_t holdout = 0;
  std::int64_t stride = 1;
  std::int64_t batch_windows = 32;
  std::uint64_t seed = 1;
};

// Reads train.data (above); ConfigError at the key.
ForecastData parse_forecast_data(const TrainSettings& settings);

// Where the split falls for a series of `length` rows; an Error naming the series when
// it is too short for one training window and the validation windows.
struct ForecastSplit {
  std::int64_t train_end = 0;       // = the first validation origin
  std::int64_t usable_end = 0;      // length - holdout
  std::vector<std::int64_t> train_origins;
};
ForecastSplit split_series(const ForecastData& data, const ForecasterSettings& settings, std::int64_t length,
                           const std::string& name);

class ForecastTraining final : public train::TrainTask {
 public:
  ForecastTraining(Pipeline& pipeline, ForecastModel& model, Forecaster& forecaster, const SeriesSettings& series,
                   ForecastData data);

  nn::Module& model() override { return pipeline_.model(); }
  void start_epoch(std::int64_t epoch) override;
  std::int64_t batches_in_epoch() const override { return static_cast<std::int64_t>(batches_.size()); }
  train::StepLoss forward(std::int64_t index, std::mt19937_64& rng) override;
  std::map<std::string, double> validate() override;
  bool validates() const override { return data_.valid_windows > 0; }
  const char* count_unit() const override { return "windows"; }

 private:
  Pipeline& pipeline_;
  ForecastModel& model_;
  Forecaster& forecaster_;
  SeriesSettings series_settings_;
  ForecastData data_;
  data::Series series_;
  ForecastSplit split_;
  std::unique_ptr<ForecastWindows> windows_;
  std::vector<std::vector<std::int64_t>> batches_;
};

}  // namespace recur::tasks
